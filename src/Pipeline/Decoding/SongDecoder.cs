using System.Buffers;
using System.Buffers.Binary;

namespace MusicClassification.Decoding;

/// <summary>
/// The decode stage's default: opens the song, sniffs its format from the first bytes and routes it: plain PCM/float
/// WAV to the managed decoder, every other recognised format to FFmpeg, unknown bytes to <c>unsupported_format</c>. The
/// song's name or extension is never consulted. <paramref name="windowTap"/>, when given, makes the tap each decode feeds.
/// </summary>
internal sealed class SongDecoder(DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? windowTap = null) : IAudioDecoder
{
    /// <summary>How far into a WAV file the router looks for its fmt chunk to decide between the managed decoder and FFmpeg.</summary>
    private const int WavRoutingPeek = 4096;

    public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await song.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SongFailureException(SongErrorCode.CorruptAudio, "The song's bytes could not be read.", ex) { Detail = ex.Message };
        }

        await using (stream.ConfigureAwait(false))
        {
            using var reader = new AudioByteReader(stream, options.MaxInputBytes);
            int headerLength = await reader.FillAsync(AudioFormatSniffer.HeaderLength, cancellationToken).ConfigureAwait(false);
            if (headerLength == 0)
            {
                throw new SongFailureException(SongErrorCode.EmptyAudio, "The song is empty (0 bytes).");
            }

            AudioContainer container = AudioFormatSniffer.Sniff(reader.Buffered);
            if (container is AudioContainer.Wave or AudioContainer.Rf64)
            {
                await reader.FillAsync(WavRoutingPeek, cancellationToken).ConfigureAwait(false);
                if (IsManagedWav(reader.Buffered))
                {
                    return await WavDecoder.DecodeAsync(reader, options, pool, windowTap, cancellationToken).ConfigureAwait(false);
                }
            }

            if (container == AudioContainer.Unknown)
            {
                throw SongFailureException.Unsupported("The bytes are not a recognised audio format.");
            }

            FfmpegInfo ffmpeg = await FfmpegLocator.LocateAsync(options.FfmpegPath).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!ffmpeg.IsAvailable)
            {
                throw new SongFailureException(
                    SongErrorCode.DecoderMissing,
                    $"The song is {AudioFormatSniffer.Describe(container)}, which needs FFmpeg, and FFmpeg is not available here.")
                {
                    Detail = ffmpeg.Problem,
                };
            }

            // A song on disk is given to FFmpeg as it is (the size cap checked up front, as reading it would): copying it
            // to a temporary file first cost a write and a read of every byte, and the service's uploads are files already.
            string? localFile = song.LocalPath is string path && stream is FileStream ? Path.GetFullPath(path) : null;
            if (localFile is not null && stream.Length > options.MaxInputBytes)
            {
                throw AudioByteReader.TooLarge(options.MaxInputBytes);
            }

            return await FfmpegDecoder.DecodeAsync(reader, container, ffmpeg, options, pool, windowTap, localFile, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True unless the fmt chunk, found within the first bytes, names a codec the managed decoder does not read
    /// (ADPCM, µ-law, MP3-in-WAV, …), which FFmpeg then decodes. Without a visible fmt chunk the managed decoder decides.
    /// </summary>
    private static bool IsManagedWav(ReadOnlySpan<byte> header)
    {
        int offset = 12;
        while (offset + 8 <= header.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header[(offset + 4)..]);
            if (header.Slice(offset, 4).SequenceEqual("fmt "u8))
            {
                if (offset + 10 > header.Length)
                {
                    return true;
                }

                ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(header[(offset + 8)..]);
                if (tag == 0xFFFE && offset + 8 + 26 <= header.Length)
                {
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(header[(offset + 8 + 24)..]);
                }

                return tag is 0x0001 or 0x0003 or 0xFFFE;
            }

            long next = offset + 8L + size + (size & 1);
            if (next > header.Length)
            {
                return true;
            }

            offset = (int)next;
        }

        return true;
    }
}
