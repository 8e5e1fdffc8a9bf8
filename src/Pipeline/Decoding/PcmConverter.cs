using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MusicClassification.Decoding;

/// <summary>Turns interleaved little-endian WAVE frames into mono floats, the mean of the channels (as librosa mixes down).</summary>
internal static class PcmConverter
{
    public static void ToMono(ReadOnlySpan<byte> frames, WavFormat format, Span<float> mono)
    {
        int channels = format.Channels;
        int frameCount = frames.Length / format.BlockAlign;
        if (mono.Length < frameCount)
        {
            throw new ArgumentException("The destination is smaller than the frame count.", nameof(mono));
        }

        switch (format.SampleFormat)
        {
            case WavSampleFormat.UInt8:
                Mix(frames, channels, frameCount, mono, 1f / 128, static (s, i) => s[i] - 128, bytesPerSample: 1);
                break;
            case WavSampleFormat.Int16 when BitConverter.IsLittleEndian:
                MixNative(MemoryMarshal.Cast<byte, short>(frames[..(frameCount * format.BlockAlign)]), channels, 32768f, mono);
                break;
            case WavSampleFormat.Int16:
                Mix(frames, channels, frameCount, mono, 1f / 32768, static (s, i) => BinaryPrimitives.ReadInt16LittleEndian(s[i..]), bytesPerSample: 2);
                break;
            case WavSampleFormat.Int24:
                Mix(frames, channels, frameCount, mono, 1f / 8388608, static (s, i) => (s[i] | (s[i + 1] << 8) | ((sbyte)s[i + 2] << 16)), bytesPerSample: 3);
                break;
            case WavSampleFormat.Int32:
                MixWide(frames, channels, frameCount, mono, 1.0 / 2147483648.0, static (s, i) => BinaryPrimitives.ReadInt32LittleEndian(s[i..]), bytesPerSample: 4);
                break;
            case WavSampleFormat.Float32 when BitConverter.IsLittleEndian:
                MixNative(MemoryMarshal.Cast<byte, float>(frames[..(frameCount * format.BlockAlign)]), channels, 1f, mono);
                break;
            case WavSampleFormat.Float32:
                MixWide(frames, channels, frameCount, mono, 1.0, static (s, i) => BinaryPrimitives.ReadSingleLittleEndian(s[i..]), bytesPerSample: 4);
                break;
            default:
                MixWide(frames, channels, frameCount, mono, 1.0, static (s, i) => BinaryPrimitives.ReadDoubleLittleEndian(s[i..]), bytesPerSample: 8);
                break;
        }
    }

    /// <summary>The fast path for the common native-endian encodings: one generic loop, a stereo special case.</summary>
    private static void MixNative<T>(ReadOnlySpan<T> samples, int channels, float fullScale, Span<float> mono)
        where T : unmanaged, INumberBase<T>
    {
        float scale = 1f / (fullScale * channels);
        int frameCount = samples.Length / channels;
        switch (channels)
        {
            case 1:
                for (int f = 0; f < frameCount; f++)
                {
                    mono[f] = float.CreateTruncating(samples[f]) * scale;
                }

                return;
            case 2:
                for (int f = 0; f < frameCount; f++)
                {
                    mono[f] = (float.CreateTruncating(samples[2 * f]) + float.CreateTruncating(samples[(2 * f) + 1])) * scale;
                }

                return;
            default:
                for (int f = 0, s = 0; f < frameCount; f++)
                {
                    float sum = 0;
                    for (int c = 0; c < channels; c++, s++)
                    {
                        sum += float.CreateTruncating(samples[s]);
                    }

                    mono[f] = sum * scale;
                }

                return;
        }
    }

    private delegate int IntSampleReader(ReadOnlySpan<byte> source, int offset);

    private delegate double WideSampleReader(ReadOnlySpan<byte> source, int offset);

    private static void Mix(ReadOnlySpan<byte> frames, int channels, int frameCount, Span<float> mono, float scale, IntSampleReader read, int bytesPerSample)
    {
        float frameScale = scale / channels;
        for (int f = 0, offset = 0; f < frameCount; f++)
        {
            long sum = 0;
            for (int c = 0; c < channels; c++, offset += bytesPerSample)
            {
                sum += read(frames, offset);
            }

            mono[f] = sum * frameScale;
        }
    }

    private static void MixWide(ReadOnlySpan<byte> frames, int channels, int frameCount, Span<float> mono, double scale, WideSampleReader read, int bytesPerSample)
    {
        double frameScale = scale / channels;
        for (int f = 0, offset = 0; f < frameCount; f++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++, offset += bytesPerSample)
            {
                sum += read(frames, offset);
            }

            mono[f] = (float)(sum * frameScale);
        }
    }
}
