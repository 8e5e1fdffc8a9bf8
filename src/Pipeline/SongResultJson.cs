using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicClassification;

/// <summary>
/// The JSON shape of a <see cref="SongResult"/> as the service answers it: camelCase names, absent values left out.
/// One serialiser for the service, the samples and files of your own, so a result reads the same wherever it was written.
/// </summary>
public static class SongResultJson
{
    /// <summary>Gets read-only options that write results in the service's shape.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Gives <paramref name="options"/> of your own (ASP.NET Core's HTTP JSON options, say) the same shape.</summary>
    /// <param name="options">The options to change.</param>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
