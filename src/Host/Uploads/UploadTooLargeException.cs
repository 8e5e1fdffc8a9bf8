namespace MusicClassification.Host.Uploads;

/// <summary>An upload exceeded <see cref="HostLimitsOptions.MaxUploadBytes"/>.</summary>
internal sealed class UploadTooLargeException(long limit) : Exception($"The upload is larger than the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
