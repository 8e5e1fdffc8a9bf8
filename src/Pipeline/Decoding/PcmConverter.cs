using System.Buffers.Binary;
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
                MixInt16(MemoryMarshal.Cast<byte, short>(frames[..(frameCount * format.BlockAlign)]), channels, mono);
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
                MixFloat32(MemoryMarshal.Cast<byte, float>(frames[..(frameCount * format.BlockAlign)]), channels, mono);
                break;
            case WavSampleFormat.Float32:
                MixWide(frames, channels, frameCount, mono, 1.0, static (s, i) => BinaryPrimitives.ReadSingleLittleEndian(s[i..]), bytesPerSample: 4);
                break;
            default:
                MixWide(frames, channels, frameCount, mono, 1.0, static (s, i) => BinaryPrimitives.ReadDoubleLittleEndian(s[i..]), bytesPerSample: 8);
                break;
        }
    }

    private static void MixInt16(ReadOnlySpan<short> samples, int channels, Span<float> mono)
    {
        float scale = 1f / (32768f * channels);
        if (channels == 1)
        {
            for (int i = 0; i < samples.Length; i++)
            {
                mono[i] = samples[i] * scale;
            }

            return;
        }

        int frameCount = samples.Length / channels;
        for (int f = 0, s = 0; f < frameCount; f++)
        {
            int sum = 0;
            for (int c = 0; c < channels; c++, s++)
            {
                sum += samples[s];
            }

            mono[f] = sum * scale;
        }
    }

    private static void MixFloat32(ReadOnlySpan<float> samples, int channels, Span<float> mono)
    {
        switch (channels)
        {
            case 1:
                samples.CopyTo(mono);
                return;
            case 2:
                // FFmpeg's usual output: sum the pairs, then halve (the channel mean, as librosa mixes down).
                int frames = samples.Length / 2;
                for (int f = 0; f < frames; f++)
                {
                    mono[f] = (samples[2 * f] + samples[(2 * f) + 1]) * 0.5f;
                }

                return;
            default:
                float scale = 1f / channels;
                int frameCount = samples.Length / channels;
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
