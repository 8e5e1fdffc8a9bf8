namespace MusicClassification.Decoding;

/// <summary>
/// A song's length read from its container's own header, for the formats FFmpeg reads from a temporary file: lets the
/// decoder start FFmpeg at the middle window instead of decoding the part before it only to discard it.
/// </summary>
internal static class ContainerLength
{
    /// <summary>The length in seconds of the <paramref name="container"/> file at <paramref name="path"/>, or null when it is not told reliably.</summary>
    public static double? Read(AudioContainer container, string path)
    {
        if (container is not (AudioContainer.Mp3 or AudioContainer.Mp4 or AudioContainer.OggVorbis or AudioContainer.OggOpus))
        {
            return null;
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            return container switch
            {
                AudioContainer.Mp3 => Mp3Duration.Read(file),
                AudioContainer.Mp4 => Mp4Duration.Read(file),
                _ => OggDuration.Read(file),
            };
        }
        catch (IOException)
        {
            return null;
        }
    }
}
