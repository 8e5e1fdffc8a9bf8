using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>A validated WAVE <c>fmt </c> chunk.</summary>
internal sealed record WavFormat(WavSampleFormat SampleFormat, int Channels, int SampleRate, int BlockAlign)
{
    public const int MaxChannels = 64;
    public const int MinSampleRate = 1_000;
    public const int MaxSampleRate = 768_000;

    private const ushort FormatPcm = 0x0001;
    private const ushort FormatIeeeFloat = 0x0003;
    private const ushort FormatExtensible = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_* GUIDs share this tail after their two-byte format tag.
    private static ReadOnlySpan<byte> SubFormatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public int BytesPerSample => BlockAlign / Channels;

    public string Describe() => SampleFormat switch
    {
        WavSampleFormat.UInt8 => "pcm8",
        WavSampleFormat.Int16 => "pcm16",
        WavSampleFormat.Int24 => "pcm24",
        WavSampleFormat.Int32 => "pcm32",
        WavSampleFormat.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>Parses and checks a <c>fmt </c> chunk body; throws <see cref="SongFailureException"/> for anything it cannot decode.</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < 16)
        {
            throw SongFailureException.Corrupt($"The WAVE fmt chunk is {chunk.Length} bytes; at least 16 are required.");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);

        if (tag == FormatExtensible)
        {
            if (chunk.Length < 40)
            {
                throw SongFailureException.Corrupt($"The WAVE_FORMAT_EXTENSIBLE fmt chunk is {chunk.Length} bytes; 40 are required.");
            }

            if (!chunk[26..40].SequenceEqual(SubFormatGuidTail))
            {
                throw SongFailureException.Unsupported("The WAVE_FORMAT_EXTENSIBLE sub-format is not PCM or IEEE float.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
        }

        if (channels == 0)
        {
            throw SongFailureException.Corrupt("The WAVE header declares zero channels.");
        }

        if (channels > MaxChannels)
        {
            throw SongFailureException.Unsupported($"The WAVE header declares {channels} channels; at most {MaxChannels} are supported.");
        }

        if (sampleRate == 0)
        {
            throw SongFailureException.Corrupt("The WAVE header declares a sample rate of 0 Hz.");
        }

        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw SongFailureException.Unsupported($"The WAVE sample rate {sampleRate} Hz is outside {MinSampleRate}–{MaxSampleRate} Hz.");
        }

        WavSampleFormat format = (tag, bits) switch
        {
            (FormatPcm, 8) => WavSampleFormat.UInt8,
            (FormatPcm, 16) => WavSampleFormat.Int16,
            (FormatPcm, 24) => WavSampleFormat.Int24,
            (FormatPcm, 32) => WavSampleFormat.Int32,
            (FormatIeeeFloat, 32) => WavSampleFormat.Float32,
            (FormatIeeeFloat, 64) => WavSampleFormat.Float64,
            (FormatPcm or FormatIeeeFloat, _) => throw SongFailureException.Unsupported($"WAVE samples of {bits} bits are not supported."),
            _ => throw SongFailureException.Unsupported($"WAVE format tag 0x{tag:X4} is not PCM or IEEE float."),
        };

        int expectedBlockAlign = channels * (bits / 8);
        if (blockAlign != expectedBlockAlign)
        {
            throw SongFailureException.Corrupt($"The WAVE block align is {blockAlign} bytes; {channels} channels of {bits} bits need {expectedBlockAlign}.");
        }

        return new WavFormat(format, channels, (int)sampleRate, blockAlign);
    }
}
