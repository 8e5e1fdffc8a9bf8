using System.Buffers.Binary;

namespace MusicClassification.Tests.TestAudio;

/// <summary>Encodes interleaved float frames as RIFF/WAVE bytes in every variant the decoder supports, plus hooks for breaking them.</summary>
public static class WavBytes
{
    private static readonly byte[] GuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static byte[] Encode(float[] interleaved, int sampleRate, int channels = 1, WavEncoding encoding = WavEncoding.Pcm16, bool extensible = false)
    {
        byte[] data = EncodeSamples(interleaved, encoding);
        byte[] fmt = Format(sampleRate, channels, encoding, extensible);
        return Riff(("fmt ", fmt), ("data", data));
    }

    public static int BitsOf(WavEncoding encoding) => encoding switch
    {
        WavEncoding.Pcm8 => 8,
        WavEncoding.Pcm16 => 16,
        WavEncoding.Pcm24 => 24,
        WavEncoding.Pcm32 or WavEncoding.Float32 => 32,
        _ => 64,
    };

    public static byte[] Format(int sampleRate, int channels, WavEncoding encoding, bool extensible = false)
    {
        int bits = BitsOf(encoding);
        ushort tag = encoding is WavEncoding.Float32 or WavEncoding.Float64 ? (ushort)3 : (ushort)1;
        byte[] fmt = new byte[extensible ? 40 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(sampleRate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), channels == 2 ? 3u : 0u);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), tag);
            GuidTail.CopyTo(fmt.AsSpan(26));
        }

        return fmt;
    }

    public static byte[] EncodeSamples(float[] interleaved, WavEncoding encoding)
    {
        int width = BitsOf(encoding) / 8;
        byte[] data = new byte[interleaved.Length * width];
        for (int i = 0; i < interleaved.Length; i++)
        {
            double x = Math.Clamp(interleaved[i], -1.0, 1.0);
            Span<byte> target = data.AsSpan(i * width, width);
            switch (encoding)
            {
                case WavEncoding.Pcm8:
                    target[0] = (byte)Math.Clamp(Math.Round(x * 127) + 128, 0, 255);
                    break;
                case WavEncoding.Pcm16:
                    BinaryPrimitives.WriteInt16LittleEndian(target, (short)Math.Round(x * 32767));
                    break;
                case WavEncoding.Pcm24:
                    int v24 = (int)Math.Round(x * 8388607);
                    target[0] = (byte)v24;
                    target[1] = (byte)(v24 >> 8);
                    target[2] = (byte)(v24 >> 16);
                    break;
                case WavEncoding.Pcm32:
                    BinaryPrimitives.WriteInt32LittleEndian(target, (int)Math.Round(x * 2147483647.0));
                    break;
                case WavEncoding.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(target, interleaved[i]);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(target, interleaved[i]);
                    break;
            }
        }

        return data;
    }

    /// <summary>Builds a RIFF/WAVE file from raw chunks, written exactly as given (sizes from the bodies, padded to even).</summary>
    public static byte[] Riff(params (string Id, byte[] Body)[] chunks)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        stream.Write(new byte[4]);
        stream.Write("WAVE"u8);
        foreach ((string id, byte[] body) in chunks)
        {
            WriteChunk(stream, id, (uint)body.Length, body);
        }

        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static void WriteChunk(Stream stream, string id, uint declaredSize, ReadOnlySpan<byte> body)
    {
        stream.Write(System.Text.Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize);
        stream.Write(size);
        stream.Write(body);
        if ((body.Length & 1) == 1)
        {
            stream.WriteByte(0);
        }
    }

    /// <summary>Finds the offset of a chunk's size field, to patch headers in hostile-input tests.</summary>
    public static int ChunkSizeOffset(byte[] wav, string id)
    {
        ReadOnlySpan<byte> name = System.Text.Encoding.ASCII.GetBytes(id);
        int at = wav.AsSpan(12).IndexOf(name);
        return at < 0 ? throw new InvalidOperationException($"No {id} chunk.") : 12 + at + 4;
    }
}
