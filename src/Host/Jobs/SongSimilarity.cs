using System.Text.Json;

namespace MusicClassification.Host.Jobs;

/// <summary>
/// The distance "more like this" ranks a job's songs by, from what each stored result holds. With MusiCNN's tags (the
/// models loaded) it is the cosine distance between the songs' tag probability vectors. Otherwise it is a Euclidean
/// distance over z-scores standardised within the job: the 57-column GTZAN vector when the job asked for it
/// (<c>?features=true</c>), else the genre model's ten probabilities; beside it tempo (log2 BPM), key (position on the
/// circle of fifths, a minor key at its relative major's, as a point on the circle) and loudness (LUFS). The two blocks
/// weigh the same: each contributes its mean squared z-score.
/// </summary>
internal sealed class SongSimilarity
{
    private static readonly string[] Tonics = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private readonly List<JobSong> _songs = [];
    private readonly List<double[]> _timbre = [];
    private readonly List<double[]> _descriptors = [];
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _byIndex = [];

    /// <summary>Gets which vectors the distance uses: <c>musicnn-tags</c>, <c>gtzan</c> or <c>genres</c>.</summary>
    public string Basis { get; private set; } = "genres";

    public int Count => _songs.Count;

    /// <summary>Builds the index from stored results' JSON (failed songs are left out).</summary>
    public static SongSimilarity From(IEnumerable<string> results)
    {
        var rows = new List<(JobSong Song, Dictionary<string, double>? Tags, Dictionary<string, double>? Gtzan, Dictionary<string, double>? Genres, double[] Descriptors)>();
        foreach (string json in results)
        {
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("error", out _) || !root.TryGetProperty("audio", out JsonElement audio))
            {
                continue;
            }

            rows.Add((
                new JobSong(root.GetProperty("index").GetInt32(), root.GetProperty("id").GetString() ?? ""),
                Scores(root, "tags"),
                root.TryGetProperty("gtzanFeatures", out JsonElement gtzan) ? gtzan.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()) : null,
                Scores(root, "genres"),
                Descriptors(audio)));
        }

        var index = new SongSimilarity();
        bool tags = rows.Count > 0 && rows.All(r => r.Tags is not null);
        bool gtzanVectors = rows.Count > 0 && rows.All(r => r.Gtzan is not null);
        index.Basis = tags ? "musicnn-tags" : gtzanVectors ? "gtzan" : "genres";
        string[] columns = [.. rows.SelectMany(r => (IEnumerable<string>?)(tags ? r.Tags : gtzanVectors ? r.Gtzan : r.Genres)?.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        foreach (var row in rows)
        {
            Dictionary<string, double>? values = tags ? row.Tags : gtzanVectors ? row.Gtzan : row.Genres;
            index._byId.TryAdd(row.Song.Id, index._songs.Count);
            index._byIndex[row.Song.Index] = index._songs.Count;
            index._songs.Add(row.Song);
            index._timbre.Add([.. columns.Select(c => values?.GetValueOrDefault(c) ?? 0)]);
            index._descriptors.Add(row.Descriptors);
        }

        if (!tags)
        {
            Standardise(index._timbre);
            Standardise(index._descriptors);
        }

        return index;
    }

    /// <summary>The song named by its id (file name) or, failing that, its index in the job.</summary>
    public JobSong? Find(string song) =>
        _byId.TryGetValue(song, out int at) ? _songs[at]
        : int.TryParse(song, System.Globalization.CultureInfo.InvariantCulture, out int index) && _byIndex.TryGetValue(index, out at) ? _songs[at]
        : null;

    /// <summary>The <paramref name="limit"/> nearest other songs, nearest first (ties by index).</summary>
    public IReadOnlyList<Neighbour> Nearest(JobSong song, int limit)
    {
        int from = _byIndex[song.Index];
        return [.. Enumerable.Range(0, _songs.Count)
            .Where(i => i != from)
            .Select(i => new Neighbour(_songs[i].Index, _songs[i].Id, Math.Round(Distance(from, i), 4)))
            .OrderBy(n => n.Distance).ThenBy(n => n.Index)
            .Take(limit)];
    }

    private double Distance(int a, int b) => Basis == "musicnn-tags"
        ? 1 - Cosine(_timbre[a], _timbre[b])
        : Math.Sqrt(MeanSquare(_timbre[a], _timbre[b]) + MeanSquare(_descriptors[a], _descriptors[b]));

    private static double MeanSquare(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return a.Length == 0 ? 0 : sum / a.Length;
    }

    private static double Cosine(double[] a, double[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Each column to z-scores over the job's songs; a missing value (NaN) and a constant column become 0.</summary>
    private static void Standardise(List<double[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        for (int c = 0; c < rows[0].Length; c++)
        {
            double[] present = [.. rows.Select(r => r[c]).Where(v => !double.IsNaN(v))];
            double mean = present.Length > 0 ? present.Average() : 0;
            double spread = present.Length > 0 ? Math.Sqrt(present.Average(v => (v - mean) * (v - mean))) : 0;
            foreach (double[] row in rows)
            {
                row[c] = double.IsNaN(row[c]) || spread <= 1e-12 ? 0 : (row[c] - mean) / spread;
            }
        }
    }

    private static Dictionary<string, double>? Scores(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement scores) && scores.ValueKind == JsonValueKind.Array
            ? scores.EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("probability").GetDouble())
            : null;

    /// <summary>Tempo, the key as a point on the circle of fifths, and loudness; a missing value sits at the job's mean (z = 0 after standardising).</summary>
    private static double[] Descriptors(JsonElement audio)
    {
        double tempo = audio.TryGetProperty("tempoBpm", out JsonElement bpm) && bpm.ValueKind == JsonValueKind.Number && bpm.GetDouble() > 0 ? Math.Log2(bpm.GetDouble()) : double.NaN;
        double loudness = audio.TryGetProperty("loudnessLufs", out JsonElement lufs) && lufs.ValueKind == JsonValueKind.Number ? lufs.GetDouble() : double.NaN;
        (double x, double y) = (0, 0);
        if (audio.TryGetProperty("key", out JsonElement key) && Array.IndexOf(Tonics, key.GetString()) is int tonic and >= 0)
        {
            // Fifths position: C = 0, G = 1, D = 2 …; a minor key sits with its relative major (three semitones up).
            bool minor = audio.TryGetProperty("mode", out JsonElement mode) && mode.GetString() == "minor";
            int major = minor ? (tonic + 3) % 12 : tonic;
            double angle = 2 * Math.PI * (major * 7 % 12) / 12;
            (x, y) = (Math.Cos(angle), Math.Sin(angle));
        }

        return [tempo, x, y, loudness];
    }
}

/// <summary>A neighbour of a song: its index and name in the job, and its distance (<see cref="SongSimilarity"/>).</summary>
/// <param name="Index">The song's part position in the upload.</param>
/// <param name="Id">The song's identifier (its sanitised file name).</param>
/// <param name="Distance">How far it is from the song asked about: 0 is the same; larger is less alike.</param>
internal sealed record Neighbour(int Index, string Id, double Distance);
