using System.Globalization;
using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>
/// Tempo and key against a reference table (for example Essentia's <c>RhythmExtractor2013</c> and <c>KeyExtractor</c>
/// run on the same files): <c>agreement &lt;folder&gt; &lt;table.csv&gt;</c>, the table's lines <c>file,bpm,key,scale</c>
/// (file relative to the folder, key as <c>C#</c> or <c>Ab</c>, scale <c>major</c>/<c>minor</c>; a header line is
/// skipped). Whole tracks, as the reference tools analyse them. Prints each song and the totals: tempo within 4 %, the
/// metrical relations counted apart, key categories and the MIREX weighted score.
/// </summary>
internal static class AgreementRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !Directory.Exists(args[0]) || !File.Exists(args[1]))
        {
            Console.Error.WriteLine("usage: agreement <folder> <table.csv: file,bpm,key,scale>");
            return 2;
        }

        var reference = File.ReadAllLines(args[1])
            .Select(line => line.Split(','))
            .Where(cells => cells.Length >= 4 && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .ToDictionary(cells => cells[0].Trim(), cells => (Bpm: double.Parse(cells[1], CultureInfo.InvariantCulture), Key: cells[2].Trim(), Minor: cells[3].Trim() == "minor"));
        var options = new PipelineOptions { Decoding = new DecodingOptions { Window = AnalysisWindow.WholeTrack } };
        await using var analysis = AnalysisPipeline.Create(options, models: null);

        var tempo = new Dictionary<TempoRelation, int>();
        var keys = new Dictionary<double, int>();
        double keyScore = 0;
        int songs = 0;
        Console.WriteLine("| song | BPM (ours / reference) | relation | key (ours / reference) | MIREX |");
        Console.WriteLine("|---|---|---|---|---:|");
        await foreach (SongResult result in analysis.Pipeline.ClassifyAsync(reference.Keys.Select(f => SongInput.FromFile(f, Path.Combine(args[0], f)))))
        {
            (double bpm, string key, bool minor) = reference[result.Id];
            if (result.Audio is not { } audio)
            {
                Console.WriteLine($"| {result.Id} | failed: {result.Error?.Code} | | | |");
                continue;
            }

            songs++;
            TempoRelation relation = Agreement.Tempo(audio.TempoBpm ?? 0, bpm);
            tempo[relation] = tempo.GetValueOrDefault(relation) + 1;
            double score = audio.Key is { } ours ? Agreement.KeyScore(Agreement.Tonic(key), minor, Agreement.Tonic(ours), audio.Mode == "minor") : 0;
            keys[score] = keys.GetValueOrDefault(score) + 1;
            keyScore += score;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Id} | {audio.TempoBpm:0.0} / {bpm:0.0} | {relation} | {audio.Key} {audio.Mode} / {key} {(minor ? "minor" : "major")} | {score:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{songs} songs. Tempo within 4 %: {tempo.GetValueOrDefault(TempoRelation.Same)}; ") +
            string.Join(", ", tempo.Where(t => t.Key != TempoRelation.Same).OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Key: same {keys.GetValueOrDefault(1.0)}, fifth {keys.GetValueOrDefault(0.5)}, relative {keys.GetValueOrDefault(0.3)}, parallel {keys.GetValueOrDefault(0.2)}, other {keys.GetValueOrDefault(0.0)}; MIREX weighted score {(songs > 0 ? keyScore / songs : 0):0.000}"));
        return 0;
    }
}
