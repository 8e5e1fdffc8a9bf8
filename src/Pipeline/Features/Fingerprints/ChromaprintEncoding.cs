namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// Chromaprint's compressed fingerprint string (<c>fingerprint_compressor.cpp</c>, <c>base64.h</c>): the algorithm id and
/// the count, then each subfingerprint XORed with the one before as the gaps between its set bits (3-bit codes, 7 and
/// above continued in 5-bit codes), packed least significant bit first, in URL-safe Base64 without padding: the string
/// AcoustID's lookup takes.
/// </summary>
internal static class ChromaprintEncoding
{
    private const int NormalBits = 3;
    private const int MaxNormalValue = (1 << NormalBits) - 1;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string Encode(ReadOnlySpan<uint> fingerprint, int algorithm = ChromaprintClassifiers.AlgorithmId)
    {
        var normal = new List<byte>(fingerprint.Length * 8);
        var exceptional = new List<byte>(fingerprint.Length * 2);
        for (int i = 0; i < fingerprint.Length; i++)
        {
            uint x = i == 0 ? fingerprint[0] : fingerprint[i] ^ fingerprint[i - 1];
            int bit = 1, lastBit = 0;
            while (x != 0)
            {
                if ((x & 1) != 0)
                {
                    int value = bit - lastBit;
                    if (value >= MaxNormalValue)
                    {
                        normal.Add(MaxNormalValue);
                        exceptional.Add((byte)(value - MaxNormalValue));
                    }
                    else
                    {
                        normal.Add((byte)value);
                    }

                    lastBit = bit;
                }

                x >>= 1;
                bit++;
            }

            normal.Add(0);
        }

        int length = fingerprint.Length;
        byte[] packed = new byte[4 + (((normal.Count * 3) + 7) / 8) + (((exceptional.Count * 5) + 7) / 8)];
        packed[0] = (byte)algorithm;
        packed[1] = (byte)(length >> 16);
        packed[2] = (byte)(length >> 8);
        packed[3] = (byte)length;
        int end = Pack(normal, 3, packed, 4);
        Pack(exceptional, 5, packed, end);
        return Base64(packed);
    }

    /// <summary>The subfingerprints of a compressed fingerprint string (Chromaprint's decompressor); null when it is not one.</summary>
    public static uint[]? Decode(string text)
    {
        byte[]? bytes = FromBase64(text);
        if (bytes is null || bytes.Length < 4)
        {
            return null;
        }

        int size = (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        int available = (bytes.Length - 4) * 8 / 3;
        var bits = new List<int>();
        int found = 0, exceptional = 0;
        for (int i = 0; i < available && found < size; i++)
        {
            int value = Read(bytes, 4, i, 3);
            bits.Add(value);
            if (value == 0)
            {
                found++;
            }
            else if (value == MaxNormalValue)
            {
                exceptional++;
            }
        }

        int offset = 4 + (((bits.Count * 3) + 7) / 8);
        if (found != size || bytes.Length < offset + (((exceptional * 5) + 7) / 8))
        {
            return null;
        }

        for (int i = 0, j = 0; i < bits.Count; i++)
        {
            if (bits[i] == MaxNormalValue)
            {
                bits[i] += Read(bytes, offset, j++, 5);
            }
        }

        var output = new uint[size];
        uint current = 0;
        int index = 0, lastBit = 0;
        foreach (int bit in bits)
        {
            if (bit == 0)
            {
                output[index++] = current;
                lastBit = 0;
                continue;
            }

            lastBit += bit;
            if (lastBit > 32)
            {
                return null;
            }

            current ^= 1u << (lastBit - 1);
        }

        return output;
    }

    private static int Read(byte[] bytes, int start, int index, int width)
    {
        int value = 0;
        for (int b = 0; b < width; b++)
        {
            int position = (index * width) + b;
            value |= ((bytes[start + (position >> 3)] >> (position & 7)) & 1) << b;
        }

        return value;
    }

    private static byte[]? FromBase64(string text)
    {
        var bytes = new List<byte>((text.Length * 3) / 4);
        int buffer = 0, bitsHeld = 0;
        foreach (char c in text)
        {
            int value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 6) | value;
            bitsHeld += 6;
            if (bitsHeld >= 8)
            {
                bitsHeld -= 8;
                bytes.Add((byte)(buffer >> bitsHeld));
                buffer &= (1 << bitsHeld) - 1;
            }
        }

        return [.. bytes];
    }

    /// <summary>Writes <paramref name="width"/>-bit values as one little-endian bit stream from byte <paramref name="start"/>; returns the next byte.</summary>
    private static int Pack(List<byte> values, int width, byte[] output, int start)
    {
        int bitPosition = 0;
        foreach (byte value in values)
        {
            for (int b = 0; b < width; b++, bitPosition++)
            {
                if (((value >> b) & 1) != 0)
                {
                    output[start + (bitPosition >> 3)] |= (byte)(1 << (bitPosition & 7));
                }
            }
        }

        return start + ((bitPosition + 7) / 8);
    }

    private static string Base64(byte[] bytes)
    {
        var text = new System.Text.StringBuilder(((bytes.Length * 4) + 2) / 3);
        int i = 0;
        for (; i + 3 <= bytes.Length; i += 3)
        {
            int s0 = bytes[i], s1 = bytes[i + 1], s2 = bytes[i + 2];
            text.Append(Alphabet[(s0 >> 2) & 63]).Append(Alphabet[((s0 << 4) | (s1 >> 4)) & 63])
                .Append(Alphabet[((s1 << 2) | (s2 >> 6)) & 63]).Append(Alphabet[s2 & 63]);
        }

        if (bytes.Length - i == 2)
        {
            int s0 = bytes[i], s1 = bytes[i + 1];
            text.Append(Alphabet[(s0 >> 2) & 63]).Append(Alphabet[((s0 << 4) | (s1 >> 4)) & 63]).Append(Alphabet[(s1 << 2) & 63]);
        }
        else if (bytes.Length - i == 1)
        {
            int s0 = bytes[i];
            text.Append(Alphabet[(s0 >> 2) & 63]).Append(Alphabet[(s0 << 4) & 63]);
        }

        return text.ToString();
    }
}
