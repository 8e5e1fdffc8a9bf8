namespace MusicClassification.Host.Jobs;

/// <summary>
/// Where stored jobs get analysed: in this process (<see cref="JobRunner"/>, role <c>All</c>) or by worker nodes through
/// the broker (<see cref="Scaling.JobDispatcher"/>, role <c>Api</c>).
/// </summary>
internal interface IJobExecutor
{
    /// <summary>Gets a value indicating whether a new job can be accepted now (the broker is reachable, say).</summary>
    bool IsAvailable { get; }

    /// <summary>Queues a job whose upload is stored.</summary>
    void Enqueue(string jobId);

    /// <summary>Stops a job's analysis if it is running and waits until it has let go of its files.</summary>
    Task StopAsync(string jobId);
}
