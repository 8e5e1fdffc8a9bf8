namespace MusicClassification.Decoding;

/// <summary>
/// The decode stage's default: opens the song, sniffs its format from the first bytes and routes it to the decoder for
/// that format. The song's name or extension is never consulted.
/// </summary>
internal sealed class SongDecoder(DecodingOptions options) : IAudioDecoder
{
    public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await song.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SongFailureException(SongErrorCode.CorruptAudio, $"The song could not be read: {ex.Message}", ex);
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
            return container switch
            {
                AudioContainer.Wave or AudioContainer.Rf64 =>
                    await WavDecoder.DecodeAsync(reader, options, cancellationToken).ConfigureAwait(false),
                AudioContainer.Unknown =>
                    throw SongFailureException.Unsupported("The bytes are not a recognised audio format."),
                _ => throw new SongFailureException(
                    SongErrorCode.DecoderMissing,
                    $"The song is {AudioFormatSniffer.Describe(container)}, which needs FFmpeg; no FFmpeg decoder is configured."),
            };
        }
    }
}
