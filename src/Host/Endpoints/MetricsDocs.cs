using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MusicClassification.Host.Endpoints;

/// <summary>
/// Puts <c>/metrics</c> in the OpenAPI document. OpenTelemetry maps it as a middleware endpoint, which the API explorer
/// cannot see (it has no handler method to describe), so the document would otherwise leave it out.
/// </summary>
internal static class MetricsDocs
{
    public const string Path = "/metrics";

    public static OpenApiOptions DescribeMetrics(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Paths ??= [];
            var operation = new OpenApiOperation
            {
                Summary = "Prometheus metrics: the pipeline's meters, ASP.NET Core's, Kestrel's, the rate limiter's and the runtime's.",
                Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "The Prometheus text exposition format.",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["text/plain; version=0.0.4"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                },
            };
            document.Paths[Path] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
            return Task.CompletedTask;
        });
}
