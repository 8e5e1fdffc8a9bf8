using System.Globalization;
using System.Text.Json;

namespace MusicClassification.Tests.TestAudio;

/// <summary>
/// The repository's test data (tests/TestData, sources and licences in its README): three CC BY-SA clips, reference
/// numbers from librosa and Essentia, and the GTZAN feature table. The MusiCNN models are not in the repository:
/// <see cref="ModelsDirectory"/> finds them through the <c>MC_MODELS</c> environment variable.
/// </summary>
public static class TestData
{
    /// <summary>The environment variable naming the folder of MusiCNN models (CI sets it to ../shared/models).</summary>
    public const string ModelsVariable = "MC_MODELS";

    public static string Root { get; } = Locate();

    public static string Clip(string name) => Path.Combine(Root, "audio", name + ".ogg");

    public static Dictionary<string, double> LibrosaReference(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference", name + ".librosa.json")));
        return json.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    /// <summary>Essentia's tempo, key and loudness for a clip (<c>reference/*.essentia-descriptors.json</c>).</summary>
    public static JsonElement EssentiaReference(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference", name + ".essentia-descriptors.json")));
        return json.RootElement.Clone();
    }

    /// <summary>fpcalc's fingerprints of the clips and of a generated song (<c>reference/chromaprint.fpcalc.json</c>).</summary>
    public static JsonElement FpcalcReference()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference", "chromaprint.fpcalc.json")));
        return json.RootElement.Clone();
    }

    public static string GtzanTablePath => Path.Combine(Root, "data", "features_30_sec.madkan.csv");

    /// <summary>Each numeric column's population standard deviation over the GTZAN table: the scale for tolerances.</summary>
    public static Dictionary<string, double> GtzanColumnSpread()
    {
        string[] lines = File.ReadAllLines(GtzanTablePath);
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
    /// The folder of MusiCNN ONNX models named by <c>MC_MODELS</c>. Unset or without the models, the calling test fails
    /// when CI is set or when the variable names a folder without the models, and is skipped (inconclusive) only when the
    /// variable is unset outside CI, saying why.
    /// </summary>
    public static string ModelsDirectory()
    {
        string? models = Environment.GetEnvironmentVariable(ModelsVariable);
        if (models is { Length: > 0 } && File.Exists(Path.Combine(models, "msd-musicnn-1.onnx")))
        {
            return Path.GetFullPath(models);
        }

        // A folder that was named but holds no models is a mistake to report, never a reason to skip.
        string message = models is { Length: > 0 }
            ? $"{ModelsVariable}={models} (resolved to {Path.GetFullPath(models)}) holds no msd-musicnn-1.onnx; name the folder of the MusiCNN models."
            : $"Set {ModelsVariable} to a folder of the MusiCNN models (msd-musicnn-1.onnx, …) to run this test.";
        if (models is { Length: > 0 } || Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return string.Empty;
    }

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string data = Path.Combine(directory.FullName, "tests", "TestData");
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")) && Directory.Exists(data))
            {
                return data;
            }
        }

        throw new DirectoryNotFoundException("tests/TestData was not found above " + AppContext.BaseDirectory);
    }
}
