using System.Diagnostics;
using System.Text.Json;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>One <c>/classify/batch</c> of files as NDJSON: every result line counted by outcome, the summary line kept.</summary>
internal sealed record NdjsonBatch(int Status, int Lines, int Succeeded, IReadOnlyDictionary<string, int> FailuresByCode, TimeSpan FirstResult, string Summary)
{
    public string FailuresText => FailuresByCode.Count == 0 ? "none" : string.Join(", ", FailuresByCode.Select(f => $"{f.Key} x{f.Value}"));

    /// <summary>Sends <paramref name="files"/> (streamed from disk) and reads every line; <paramref name="onFailure"/> sees each failed line.</summary>
    public static async Task<NdjsonBatch> SendAsync(HttpClient http, IReadOnlyList<string> files, Action<string, string, string>? onFailure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/classify/batch") { Content = new FilesForm(files) };
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        int lines = 0;
        int succeeded = 0;
        var failures = new SortedDictionary<string, int>(StringComparer.Ordinal);
        TimeSpan first = TimeSpan.Zero;
        string summary = string.Empty;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("summary", out JsonElement summaryElement))
            {
                summary = summaryElement.ToString();
                continue;
            }

            first = lines++ == 0 ? clock.Elapsed : first;
            if (json.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
            {
                string code = error.GetProperty("code").GetString() ?? "?";
                failures[code] = failures.GetValueOrDefault(code) + 1;
                onFailure?.Invoke(json.RootElement.GetProperty("id").GetString() ?? "?", code, error.GetProperty("message").GetString() ?? string.Empty);
            }
            else
            {
                succeeded++;
            }
        }

        return new NdjsonBatch((int)response.StatusCode, lines, succeeded, failures, first, summary);
    }
}
