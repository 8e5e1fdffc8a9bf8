using System.Numerics.Tensors;
using System.Text.Json;

namespace MusicClassification.Classification.Genre;

/// <summary>
/// The embedded genre model, immutable and thread-safe: standardise the 57 GTZAN features with the training set's
/// statistics, run each ensemble member's dense layers (ReLU between them, softmax at the end) and average the
/// members' probabilities over the 10 GTZAN genres; blend in the kernel machine's probabilities when the file has one.
/// </summary>
internal sealed class GenreModel
{
    public const string ResourceName = "MusicClassification.Classification.Genre.genre-model.json";
    private static readonly Lazy<GenreModel> Embedded = new(LoadEmbedded);
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public GenreModel(GenreModelFile file)
    {
        File = file;
        int width = file.Inputs.Length;
        if (file.Mean.Length != width || file.Scale.Length != width || file.Members.Length == 0
            || file.Members.Any(m => m.Layers.Length == 0 || m.Layers[0].Inputs != width || m.Layers[^1].Outputs != file.Labels.Length))
        {
            throw new InvalidDataException($"The genre model '{file.Name}' has inconsistent shapes.");
        }

        if (file.Kernel is { } kernel
            && (kernel.Centres.Length == 0 || kernel.Centres.Length % width != 0
                || kernel.Coefficients.Length != kernel.Centres.Length / width * file.Labels.Length
                || kernel.Weight is < 0 or > 1))
        {
            throw new InvalidDataException($"The genre model '{file.Name}' has an inconsistent kernel machine.");
        }
    }

    public GenreModelFile File { get; }

    public static GenreModel Default => Embedded.Value;

    public static GenreModel Parse(Stream json) =>
        new(JsonSerializer.Deserialize<GenreModelFile>(json, Json)
            ?? throw new InvalidDataException("The genre model file is empty."));

    /// <summary>Class probabilities, in <see cref="GenreModelFile.Labels"/> order, for one feature vector (in <see cref="GenreModelFile.Inputs"/> order).</summary>
    public float[] Predict(ReadOnlySpan<double> features)
    {
        int width = File.Inputs.Length;
        float[] input = new float[width];
        for (int i = 0; i < width; i++)
        {
            input[i] = (float)((features[i] - File.Mean[i]) / File.Scale[i]);
        }

        var average = new float[File.Labels.Length];
        foreach (GenreModelFile.MemberFile member in File.Members)
        {
            TensorPrimitives.Add(average, Run(member, input), average);
        }

        TensorPrimitives.Divide(average, File.Members.Length, average);
        if (File.Kernel is { } kernel)
        {
            float[] probabilities = RunKernel(kernel, input, File.Labels.Length);
            TensorPrimitives.Multiply(average, (float)(1 - kernel.Weight), average);
            TensorPrimitives.MultiplyAdd(probabilities, (float)kernel.Weight, average, average);
        }

        return average;
    }

    private static float[] RunKernel(GenreModelFile.KernelFile kernel, float[] input, int classes)
    {
        int width = input.Length;
        int centres = kernel.Centres.Length / width;
        var similarity = new float[centres];
        var difference = new float[width];
        for (int i = 0; i < centres; i++)
        {
            TensorPrimitives.Subtract(input, kernel.Centres.AsSpan(i * width, width), difference);
            similarity[i] = (float)Math.Exp(-kernel.Gamma * TensorPrimitives.Dot(difference, difference));
        }

        var scores = new float[classes];
        for (int c = 0; c < classes; c++)
        {
            scores[c] = (float)kernel.Temperature * TensorPrimitives.Dot(similarity, kernel.Coefficients.AsSpan(c * centres, centres));
        }

        TensorPrimitives.SoftMax(scores, scores);
        return scores;
    }

    private static float[] Run(GenreModelFile.MemberFile member, float[] input)
    {
        float[] activations = input;
        for (int l = 0; l < member.Layers.Length; l++)
        {
            GenreModelFile.LayerFile layer = member.Layers[l];
            var next = new float[layer.Outputs];
            for (int o = 0; o < layer.Outputs; o++)
            {
                next[o] = TensorPrimitives.Dot(activations, layer.Weights.AsSpan(o * layer.Inputs, layer.Inputs)) + layer.Biases[o];
            }

            if (l < member.Layers.Length - 1)
            {
                TensorPrimitives.Max(next, 0f, next);
            }

            activations = next;
        }

        TensorPrimitives.SoftMax(activations, activations);
        return activations;
    }

    private static GenreModel LoadEmbedded()
    {
        using Stream stream = typeof(GenreModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded genre model '{ResourceName}' is missing from the assembly.");
        return Parse(stream);
    }
}
