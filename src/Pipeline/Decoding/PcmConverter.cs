using System.Buffers.Binary;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

using MusicClassification.Dsp;

namespace MusicClassification.Decoding;

/// <summary>Turns interleaved little-endian WAVE frames into floats, and interleaved floats into mono (the mean of the channels).</summary>
internal static class PcmConverter
{
    /// <summary>
    /// Float samples smaller than this (−300 dBFS) become 0 where they enter the DSP. Subnormal floats are 10 to 100 times
    /// slower in every multiply on x86 (a 60 s song of them took 18 s instead of 1.3 s), and values this small are
    /// nothing any analysis can measure; the margin above float's subnormal range (1.2e−38) keeps their squares, window
    /// products and filter states normal as well. Integer formats cannot produce them.
    /// </summary>
    public const float FlushBelow = 1e-15f;

    /// <summary>Converts interleaved frames to interleaved floats in [−1, 1) (integer formats) or as stored (float formats).</summary>
    public static void ToInterleavedFloat(ReadOnlySpan<byte> frames, WavFormat format, Span<float> destination)
    {
        int samples = frames.Length / format.BytesPerSample;
        if (destination.Length < samples)
        {
            throw new ArgumentException("The destination is smaller than the sample count.", nameof(destination));
        }

        ReadOnlySpan<byte> whole = frames[..(samples * format.BytesPerSample)];
        switch (format.SampleFormat)
        {
            case WavSampleFormat.UInt8:
                for (int i = 0; i < samples; i++)
                {
                    destination[i] = (whole[i] - 128) / 128f;
                }

                break;
            case WavSampleFormat.Int16 when BitConverter.IsLittleEndian:
                TensorPrimitives.ConvertTruncating<short, float>(MemoryMarshal.Cast<byte, short>(whole), destination);
                TensorPrimitives.Multiply(destination[..samples], 1f / 32768, destination);
                break;
            case WavSampleFormat.Int16:
                for (int i = 0; i < samples; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(whole[(2 * i)..]) / 32768f;
                }

                break;
            case WavSampleFormat.Int24:
                for (int i = 0, o = 0; i < samples; i++, o += 3)
                {
                    destination[i] = (whole[o] | (whole[o + 1] << 8) | ((sbyte)whole[o + 2] << 16)) / 8388608f;
                }

                break;
            case WavSampleFormat.Int32:
                for (int i = 0; i < samples; i++)
                {
                    destination[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(whole[(4 * i)..]) / 2147483648.0);
                }

                break;
            case WavSampleFormat.Float32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(whole).CopyTo(destination);
                FlushTiny(destination[..samples]);
                break;
            case WavSampleFormat.Float32:
                for (int i = 0; i < samples; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(whole[(4 * i)..]);
                }

                FlushTiny(destination[..samples]);
                break;
            default:
                for (int i = 0; i < samples; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(whole[(8 * i)..]);
                }

                FlushTiny(destination[..samples]);
                break;
        }
    }

    /// <summary>Sets every sample whose magnitude is below <see cref="FlushBelow"/> (subnormals included) to 0; NaN and infinities pass unchanged.</summary>
    public static void FlushTiny(Span<float> samples)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<float>.Count)
        {
            var threshold = new Vector<float>(FlushBelow);
            Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            for (int v = 0; v < vectors.Length; v++)
            {
                Vector<float> value = vectors[v];
                vectors[v] = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(value), threshold), Vector<float>.Zero, value);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < samples.Length; i++)
        {
            if (MathF.Abs(samples[i]) < FlushBelow)
            {
                samples[i] = 0;
            }
        }
    }

    /// <summary>Mixes interleaved float frames to mono: the mean of the channels, as librosa mixes down.</summary>
    public static void MixToMono(ReadOnlySpan<float> samples, int channels, Span<float> mono)
    {
        float scale = 1f / channels;
        int frameCount = samples.Length / channels;
        switch (channels)
        {
            case 1:
                for (int f = 0; f < frameCount; f++)
                {
                    mono[f] = samples[f] * scale;
                }

                return;
            case 2:
                SamplePairs.SumScaled(samples[..(2 * frameCount)], scale, mono);
                return;
            default:
                for (int f = 0, s = 0; f < frameCount; f++)
                {
                    float sum = 0;
                    for (int c = 0; c < channels; c++, s++)
                    {
                        sum += samples[s];
                    }

                    mono[f] = sum * scale;
                }

                return;
        }
    }
}
