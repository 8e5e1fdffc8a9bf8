using System.Globalization;
using System.Text.Json;

namespace MusicClassification.Tests.TestAudio;

/// <summary>
/// The project's shared, read-only reference material (../shared next to the repository): reference numbers from
/// librosa/Essentia and the GTZAN feature table.
/// </summary>
internal static class SharedData
{
    public static string Root { get; } = Locate();

    public static Dictionary<string, double> LibrosaReference(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference", name + ".librosa.json")));
        return json.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    /// <summary>Each numeric column's population standard deviation over the GTZAN table: the scale for tolerances.</summary>
    public static Dictionary<string, double> GtzanColumnSpread()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "data", "features_30_sec.madkan.csv"));
        string[] header = lines[0].Split(',');
        var spread = new Dictionary<string, double>();
        for (int c = 1; c < header.Length - 1; c++)
        {
            double[] values = lines.Skip(1).Select(l => double.Parse(l.Split(',')[c], CultureInfo.InvariantCulture)).ToArray();
            double mean = values.Average();
            spread[header[c]] = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        }

        return spread;
    }

    /// <summary>
    /// ../shared/models (the optional MusiCNN ONNX models). Missing, the calling test fails when CI is set and is
    /// inconclusive elsewhere, saying so.
    /// </summary>
    public static string ModelsDirectory()
    {
        string models = Path.Combine(Root, "models");
        if (File.Exists(Path.Combine(models, "msd-musicnn-1.onnx")))
        {
            return models;
        }

        string message = $"The MusiCNN models are not in {models}; this test needs them.";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return models;
    }

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                string shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared"));
                if (Directory.Exists(shared))
                {
                    return shared;
                }
            }
        }

        throw new DirectoryNotFoundException("../shared (reference numbers and data) was not found next to the repository.");
    }
}
