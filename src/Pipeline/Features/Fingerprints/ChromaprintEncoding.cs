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
