using System.Globalization;

namespace MusicClassification.Tools.GenreTrainer;

/// <summary>The GTZAN feature table: file names, the 57 feature columns and the genre label of each row.</summary>
internal sealed record GtzanTable(string[] Columns, string[] Files, double[][] Features, int[] Labels, string[] LabelNames)
{
    public static GtzanTable Load(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');

        // filename, length, 57 features, label
        string[] columns = header[2..^1];
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        string[] labelNames = rows.Select(r => r[^1]).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new GtzanTable(
            columns,
            rows.Select(r => r[0]).ToArray(),
            rows.Select(r => r[2..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray(),
            rows.Select(r => Array.IndexOf(labelNames, r[^1])).ToArray(),
            labelNames);
    }
}
