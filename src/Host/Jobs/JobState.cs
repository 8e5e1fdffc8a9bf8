namespace MusicClassification.Host.Jobs;

/// <summary>Where a job is: <c>queued</c> (on disk, waiting), <c>running</c>, <c>completed</c> (every song has its result) or <c>cancelled</c>.</summary>
internal static class JobState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Queued, Running, Completed, Cancelled];
}
