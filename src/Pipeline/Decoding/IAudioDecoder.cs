namespace MusicClassification.Decoding;

/// <summary>Turns one song into mono PCM at the analysis rate; the seam the decode stage runs (and tests replace).</summary>
internal interface IAudioDecoder
{
    /// <summary>Decodes the song. Failures are <see cref="SongFailureException"/>; the caller owns the returned audio.</summary>
    ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken);
}
