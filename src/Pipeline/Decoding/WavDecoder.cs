using System.Buffers;
using System.Buffers.Binary;
using MusicClassification.Dsp;

namespace MusicClassification.Decoding;

/// <summary>
/// The managed RIFF/WAVE (and RF64) decoder: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE, any channel
/// count up to <see cref="WavFormat.MaxChannels"/>. Reads the stream once, forward only, through pooled buffers; every
/// header field is checked before it is trusted, so hostile files fail with a code instead of a hang or a huge allocation.
/// </summary>
internal static class WavDecoder
{
    private const int MaxChunks = 1024;
    private const int MaxFmtBytesRead = 64;
    private const uint UnknownSize = 0xFFFFFFFF;

    /// <summary>Decodes a WAVE stream. <paramref name="lengthHint"/> supplies the song's length in frames when the stream itself does not declare it (FFmpeg's output).</summary>
    public static async ValueTask<DecodedAudio> DecodeAsync(
        AudioByteReader reader, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, CancellationToken cancellationToken, Func<int, CancellationToken, ValueTask<long?>>? lengthHint = null)
    {
        if (await reader.FillAsync(12, cancellationToken).ConfigureAwait(false) < 12)
        {
            throw SongFailureException.Corrupt("The file is too short for a RIFF/WAVE header.");
        }

        bool isRf64 = !reader.Buffered.StartsWith("RIFF"u8);
        reader.Consume(12);

        WavFormat? format = null;
        long? ds64DataSize = null;
        for (int chunkIndex = 0; chunkIndex < MaxChunks; chunkIndex++)
        {
            if (await reader.FillAsync(8, cancellationToken).ConfigureAwait(false) < 8)
            {
                throw SongFailureException.Corrupt(format is null ? "The WAVE file has no fmt chunk." : "The WAVE file has no data chunk.");
            }

            ReadOnlySpan<byte> header = reader.Buffered;
            uint id = BinaryPrimitives.ReadUInt32BigEndian(header);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            reader.Consume(8);

            switch (id)
            {
                case 0x666D7420: // "fmt "
                    format = await ReadFormatAsync(reader, size, cancellationToken).ConfigureAwait(false);
                    break;
                case 0x64733634: // "ds64"
                    ds64DataSize = await ReadDs64Async(reader, size, cancellationToken).ConfigureAwait(false);
                    break;
                case 0x64617461: // "data"
                    if (format is null)
                    {
                        throw SongFailureException.Corrupt("The WAVE data chunk comes before any fmt chunk.");
                    }

                    long? dataSize = (isRf64 && size == UnknownSize) ? ds64DataSize : (size == UnknownSize ? null : size);
                    long? declaredFrames = dataSize / format.BlockAlign;
                    if (declaredFrames is null && lengthHint is not null && options.Window == AnalysisWindow.Middle)
                    {
                        declaredFrames = await lengthHint(format.SampleRate, cancellationToken).ConfigureAwait(false);
                    }

                    return await ReadDataAsync(reader, format, dataSize, declaredFrames, options, pool, tap, cancellationToken).ConfigureAwait(false);
                default:
                    if (!await reader.SkipAsync(size + (size & 1), cancellationToken).ConfigureAwait(false))
                    {
                        throw SongFailureException.Corrupt($"A WAVE chunk declares {size} bytes, past the end of the file.");
                    }

                    break;
            }
        }

        throw SongFailureException.Corrupt($"The WAVE file has more than {MaxChunks} chunks before its audio.");
    }

    private static async ValueTask<WavFormat> ReadFormatAsync(AudioByteReader reader, uint size, CancellationToken cancellationToken)
    {
        int wanted = (int)Math.Min(size, MaxFmtBytesRead);
        if (await reader.FillAsync(wanted, cancellationToken).ConfigureAwait(false) < wanted)
        {
            throw SongFailureException.Corrupt("The WAVE fmt chunk is cut short by the end of the file.");
        }

        WavFormat format = WavFormat.Parse(reader.Buffered[..wanted]);
        reader.Consume(wanted);
        if (!await reader.SkipAsync(size - wanted + (size & 1), cancellationToken).ConfigureAwait(false))
        {
            throw SongFailureException.Corrupt("The WAVE fmt chunk is cut short by the end of the file.");
        }

        return format;
    }

    private static async ValueTask<long> ReadDs64Async(AudioByteReader reader, uint size, CancellationToken cancellationToken)
    {
        if (size < 24 || await reader.FillAsync(24, cancellationToken).ConfigureAwait(false) < 24)
        {
            throw SongFailureException.Corrupt("The RF64 ds64 chunk is too short.");
        }

        long dataSize = BinaryPrimitives.ReadInt64LittleEndian(reader.Buffered[8..]);
        reader.Consume(24);
        if (dataSize < 0 || !await reader.SkipAsync(size - 24 + (size & 1), cancellationToken).ConfigureAwait(false))
        {
            throw SongFailureException.Corrupt("The RF64 ds64 chunk is invalid.");
        }

        return dataSize;
    }

    private static async ValueTask<DecodedAudio> ReadDataAsync(
        AudioByteReader reader, WavFormat format, long? dataSize, long? declaredFrames, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, CancellationToken cancellationToken)
    {
        using var signal = new AnalysisSignalBuilder(format.SampleRate, format.Channels, options, pool, tap);
        signal.PlaceWindow(declaredFrames);

        long remaining = dataSize ?? long.MaxValue;
        long skip = signal.FramesBeforeWindow * format.BlockAlign;
        if (skip > 0)
        {
            long dataStart = reader.Position;
            if (!await reader.SkipAsync(skip, cancellationToken).ConfigureAwait(false))
            {
                // A stream without a declared size (FFmpeg's output) ended inside the lead-in: the song is shorter than
                // the length its container claimed, and the frames that were there can place the window anew.
                throw dataSize is null
                    ? signal.WindowPastEnd((reader.Position - dataStart) / format.BlockAlign)
                    : Truncated(dataSize, reader);
            }

            signal.Skipped(skip / format.BlockAlign);
            remaining -= skip;
        }

        float[] samples = pool.Rent(AnalysisSignalBuilder.BlockSize * format.Channels);
        try
        {
            int blockBytes = AnalysisSignalBuilder.BlockSize * format.BlockAlign;
            while (remaining >= format.BlockAlign && !signal.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await reader.YieldTurnAsync(cancellationToken).ConfigureAwait(false);
                int wanted = (int)Math.Min(remaining, blockBytes);
                int available = await reader.FillAsync(wanted, cancellationToken).ConfigureAwait(false);
                int whole = Math.Min(available, wanted) / format.BlockAlign * format.BlockAlign;
                if (whole == 0)
                {
                    if (dataSize is null)
                    {
                        break;
                    }

                    throw Truncated(dataSize, reader);
                }

                int count = whole / format.BytesPerSample;
                PcmConverter.ToInterleavedFloat(reader.Buffered[..whole], format, samples);
                signal.Write(samples.AsSpan(0, count));
                reader.Consume(whole);
                remaining -= whole;
            }
        }
        finally
        {
            pool.Return(samples);
        }

        return signal.Complete("wav/" + format.Describe());
    }

    private static SongFailureException Truncated(long? dataSize, AudioByteReader reader) =>
        SongFailureException.Corrupt($"The WAVE data chunk declares {dataSize} bytes but the file ends {reader.Position} bytes in.");
}
