using Microsoft.AspNetCore.Mvc;

namespace MusicClassification.Host.Uploads;

/// <summary>The request cannot be read as the upload it claims to be; carries the problem to answer with.</summary>
internal sealed class InvalidUploadException(ProblemDetails problem, Exception? inner = null) : Exception(problem.Detail, inner)
{
    public ProblemDetails Problem { get; } = problem;
}
