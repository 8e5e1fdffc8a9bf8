using System.Text.Json.Serialization;

namespace MusicClassification.Classification.Genre;

/// <summary>
/// The embedded genre model as stored (JSON): standardised-input multilayer perceptrons and optionally an RBF kernel
/// machine, trained by
/// <c>tools/GenreTrainer</c> on the GTZAN feature table, with its manifest (name, version, labels, input spec, licence,
/// source, measured accuracy and the rows held out from training).
/// </summary>
internal sealed class GenreModelFile
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Licence { get; init; }

    public required string Source { get; init; }

    public required string[] Labels { get; init; }

    /// <summary>The GTZAN column names the model reads, in order.</summary>
    public required string[] Inputs { get; init; }

    public required double[] Mean { get; init; }

    public required double[] Scale { get; init; }

    /// <summary>The ensemble's members (same architecture, different seeds); their softmax outputs are averaged.</summary>
    public required MemberFile[] Members { get; init; }

    /// <summary>
    /// An RBF kernel ridge classifier whose softmax probabilities are blended with the members' average, or null.
    /// </summary>
    public KernelFile? Kernel { get; init; }

    /// <summary>10-fold stratified cross-validated accuracy of this architecture and training recipe.</summary>
    public required double CrossValidatedAccuracy { get; init; }

    /// <summary>Table rows (file names) held out from the final training, and the model's accuracy on them.</summary>
    public required string[] HeldOut { get; init; }

    public required double HeldOutAccuracy { get; init; }

    /// <summary>One network: weights of each dense layer, [output][input] flattened row-major, and biases; ReLU between layers, softmax at the end.</summary>
    public sealed class MemberFile
    {
        public required LayerFile[] Layers { get; init; }
    }

    public sealed class LayerFile
    {
        public required int Inputs { get; init; }

        public required int Outputs { get; init; }

        [JsonConverter(typeof(Float32Base64Converter))]
        public required float[] Weights { get; init; }

        public required float[] Biases { get; init; }
    }

    /// <summary>
    /// score_c(x) = Σ_i Coefficients[c·n + i] · exp(−Gamma · |x − centre_i|²) over the n standardised training rows in
    /// <see cref="Centres"/> (row-major); probabilities = softmax(Temperature · score), blended with weight <see cref="Weight"/>.
    /// </summary>
    public sealed class KernelFile
    {
        public required double Gamma { get; init; }

        public required double Temperature { get; init; }

        public required double Weight { get; init; }

        [JsonConverter(typeof(Float32Base64Converter))]
        public required float[] Centres { get; init; }

        [JsonConverter(typeof(Float32Base64Converter))]
        public required float[] Coefficients { get; init; }
    }
}
