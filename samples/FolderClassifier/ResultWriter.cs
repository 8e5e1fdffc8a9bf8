using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MusicClassification;
using Spectre.Console;

namespace FolderClassifier;

/// <summary>Writes results as JSON lines or CSV as they come, or collects them for a table at the end.</summary>
internal sealed class ResultWriter(string format, bool gtzan, TextWriter output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly string[] Columns = ["file", "status", "error_code", "genre", "tempo_bpm", "key", "mode", "loudness_lufs", "duration_s", "danceability"];
    private readonly List<SongResult> _table = [];
    private readonly List<SongResult> _waiting = [];
    private string[]? _gtzanColumns;

    public void Write(SongResult result)
    {
        switch (format)
        {
            case "table":
                _table.Add(result);
                break;
            case "csv":
                WriteCsv(result);
                break;
            default:
                output.WriteLine(JsonSerializer.Serialize(gtzan ? result : result with { GtzanFeatures = null }, Json));
                break;
        }
    }

    public void Finish()
    {
        if (format != "table")
        {
            if (_gtzanColumns is null && _waiting.Count > 0)
            {
                StartCsv([]);
            }

            output.Flush();
            return;
        }

        var table = new Table().AddColumns("song", "genre", "tempo", "key", "loudness", "status");
        foreach (SongResult r in _table.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(r.Id),
                Markup.Escape(r.Genre ?? "-"),
                r.Audio?.TempoBpm is double bpm ? bpm.ToString("0", CultureInfo.InvariantCulture) : "-",
                r.Audio?.Key is string key ? $"{key} {r.Audio.Mode}" : "-",
                r.Audio?.LoudnessLufs is double lufs ? lufs.ToString("0.0 LUFS", CultureInfo.InvariantCulture) : "-",
                r.Succeeded ? "[green]ok[/]" : $"[red]{Markup.Escape(r.Error.Code.ToWireName())}[/]");
        }

        AnsiConsole.Write(table);
    }

    private void WriteCsv(SongResult r)
    {
        if (_gtzanColumns is null)
        {
            // The GTZAN column names come with the first analysed song; rows before it wait for the header.
            if (gtzan && r.GtzanFeatures is null)
            {
                _waiting.Add(r);
                return;
            }

            StartCsv(gtzan ? [.. r.GtzanFeatures!.Keys] : []);
        }

        WriteRow(r);
    }

    private void StartCsv(string[] gtzanColumns)
    {
        _gtzanColumns = gtzanColumns;
        output.WriteLine(string.Join(',', Columns.Concat(_gtzanColumns)));
        foreach (SongResult waiting in _waiting)
        {
            WriteRow(waiting);
        }

        _waiting.Clear();
    }

    private void WriteRow(SongResult r)
    {
        string?[] cells =
        [
            r.Id, r.Succeeded ? "succeeded" : "failed", r.Error?.Code.ToWireName(), r.Genre, Number(r.Audio?.TempoBpm), r.Audio?.Key, r.Audio?.Mode,
            Number(r.Audio?.LoudnessLufs), Number(r.Audio?.DurationSeconds), Number(r.Danceability),
            .. _gtzanColumns!.Select(c => r.GtzanFeatures is { } v && v.TryGetValue(c, out double x) ? Number(x) : null),
        ];
        output.WriteLine(string.Join(',', cells.Select(Escape)));
    }

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string? cell) =>
        cell is null ? string.Empty
        : cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : cell;
}
