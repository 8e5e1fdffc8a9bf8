namespace MusicClassification.Host.Uploads;

/// <summary>An upload exceeded the size allowed for it.</summary>
internal sealed class UploadTooLargeException(long limit) : Exception($"The song is larger than the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
