using Microsoft.OpenApi;

namespace MusicClassification.Host.Endpoints;

/// <summary>
/// Describes upload bodies in the OpenAPI document. The endpoints read their bodies themselves (streamed to the spool), so
/// no Accepts metadata is declared: it would make routing answer other content types with a bare 415 instead of our
/// problem details.
/// </summary>
internal static class UploadBodyDocs
{
    public static TBuilder DescribeUpload<TBuilder>(this TBuilder builder, bool rawBodyAllowed, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            var form = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["file"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary, Description = "One file part per song; the part's file name is the song's id." },
                },
            };
            var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = form } };
            if (rawBodyAllowed)
            {
                content["application/octet-stream"] = new() { Schema = binary };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Description = description, Content = content };
            return Task.CompletedTask;
        });
}
