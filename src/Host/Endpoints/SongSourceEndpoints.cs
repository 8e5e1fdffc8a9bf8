using Microsoft.AspNetCore.Http.HttpResults;
using MusicClassification.Host.Scaling;

namespace MusicClassification.Host.Endpoints;

/// <summary>
/// Where workers fetch songs too large to ride in a message (role <c>Api</c>). Open to callers without an API key and
/// outside the request limits (workers are the service's own), guarded instead by what only a message's receiver
/// knows: the job's unguessable id or the upload's random one, and the song's SHA-256. Not part of the public API.
/// </summary>
internal static class SongSourceEndpoints
{
    public static IEndpointRouteBuilder MapSongSources(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup(SongSources.Route).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        group.MapGet("/jobs/{jobId}/{index:int}", JobSongAsync);
        group.MapGet("/uploads/{id}", Upload);
        return routes;
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> JobSongAsync(
        string jobId, int index, string sha256, SongSources sources, CancellationToken cancellationToken) =>
        await sources.JobSongAsync(jobId, index, sha256, cancellationToken) is { } path ? Send(path) : TypedResults.NotFound();

    private static Results<PhysicalFileHttpResult, NotFound> Upload(string id, string sha256, SongSources sources) =>
        sources.Upload(id, sha256) is { } path ? Send(path) : TypedResults.NotFound();

    private static PhysicalFileHttpResult Send(string path) => TypedResults.PhysicalFile(path, "application/octet-stream");
}
