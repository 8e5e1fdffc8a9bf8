namespace MusicClassification.Host.Endpoints;

/// <summary>Operational endpoints: liveness and readiness.</summary>
internal static class OpsEndpoints
{
    public static IEndpointRouteBuilder MapOps(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health").WithTags("Operations");
        return routes;
    }
}
