namespace MusicClassification.Host.Jobs;

/// <summary>Whether a new job was stored, or which open-job limit refused it when it was about to be.</summary>
internal enum JobAdmission
{
    Created,
    TooManyOpenJobs,
    TooManyForClient,
}
