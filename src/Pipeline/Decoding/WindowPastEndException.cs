namespace MusicClassification.Decoding;

/// <summary>
/// The audio ended before the analysis window that the container's declared length placed (a truncated file whose
/// header still claims the whole song). A decoder that can read the song again places the window on
/// <see cref="AvailableFrames"/> instead; one that cannot lets it stand as <c>corrupt_audio</c>.
/// </summary>
internal sealed class WindowPastEndException(long availableFrames, string message)
    : SongFailureException(SongErrorCode.CorruptAudio, message)
{
    /// <summary>Gets how many frames (at the song's own rate) the song really holds.</summary>
    public long AvailableFrames { get; } = availableFrames;
}
