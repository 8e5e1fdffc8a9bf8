using System.Text.Json;

namespace MusicClassification.Tests.Reference;

/// <summary>
/// musicnn.essentia.json: MusiCNN log-mel frames and mean activations made by tools/EssentiaReference with Essentia's
/// own algorithms (essentia.js) and ONNX Runtime for Node, independently of this library.
/// </summary>
internal sealed class EssentiaMusiCnnReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestAudio.TestData.Root, "reference", "musicnn.essentia.json"))));

    private EssentiaMusiCnnReference(JsonElement signal) => Signal = signal;

    private JsonElement Signal { get; }

    public int Samples16k => Signal.GetProperty("samples16k").GetInt32();

    public int Frames => Signal.GetProperty("frames").GetInt32();

    public int Patches => Signal.GetProperty("patches").GetInt32();

    public string? Sha256 => Signal.TryGetProperty("sha256", out JsonElement hash) ? hash.GetString() : null;

    public double[] BandMeans => Values(Signal.GetProperty("bandMeans"));

    public IReadOnlyDictionary<int, double[]> SelectedFrames =>
        Signal.GetProperty("selectedFrames").EnumerateObject().ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => Values(p.Value));

    /// <summary>Mean activation per label over the complete patches, in the model's label order.</summary>
    public double[] Activations(string model) => Values(Signal.GetProperty("activations").GetProperty(model));

    public static EssentiaMusiCnnReference For(string signal) => new(Document.Value.RootElement.GetProperty("signals").GetProperty(signal));

    /// <summary>
    /// The generated reference signal, defined in make-reference.mjs: 30 s at 16 kHz of a 440 Hz tone (0.3), a linear
    /// chirp from 50 Hz to 7.9 kHz (0.25) and uniform noise from a 32-bit LCG (0.05), computed in double, stored as float.
    /// </summary>
    public static float[] GeneratedToneChirpNoise()
    {
        const int Rate = 16_000;
        const int Seconds = 30;
        var x = new float[Rate * Seconds];
        uint state = 12345;
        for (int i = 0; i < x.Length; i++)
        {
            state = unchecked((state * 1664525u) + 1013904223u);
            double noise = (state / 4294967296.0 * 2) - 1;
            double t = (double)i / Rate;
            double chirpPhase = 2 * Math.PI * ((50 * t) + ((7900.0 - 50) / (2 * Seconds) * t * t));
            x[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 440 * t)) + (0.25 * Math.Sin(chirpPhase)) + (0.05 * noise));
        }

        return x;
    }

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
