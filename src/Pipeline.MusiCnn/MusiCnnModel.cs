using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>One MusiCNN model: input <c>melspectrogram</c> [batch, 187, 96], output <c>activations</c> [batch, labels] (sigmoid).</summary>
internal sealed class MusiCnnModel : IDisposable
{
    private const string InputName = "melspectrogram";
    private const string OutputName = "activations";
    private readonly InferenceSession _session;

    private MusiCnnModel(InferenceSession session, string name, string task, string[] labels)
    {
        _session = session;
        Name = name;
        Task = task;
        Labels = labels;
    }

    public string Name { get; }

    public string Task { get; }

    public string[] Labels { get; }

    public static MusiCnnModel Load(string modelPath, string labelsPath, string name, string task, bool sharedArena)
    {
        if (!File.Exists(labelsPath))
        {
            throw new InvalidDataException($"The MusiCNN model '{modelPath}' has no labels file '{labelsPath}'.");
        }

        string[] labels = File.ReadAllLines(labelsPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        InferenceSession session;
        try
        {
            // One thread per run and one patch per run: the pipeline already classifies up to MaxDegreeOfParallelism songs
            // at once, and on 2 cores two intra-op threads cost 2.5× the CPU per patch while batching patches (of one song
            // or several) gained nothing and held more memory (docs/benchmarks.md, "ONNX Runtime settings").
            using var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                EnableCpuMemArena = false,
            };
            if (sharedArena)
            {
                SharedOrtArena.UseIn(options);
            }

            session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"The MusiCNN model '{modelPath}' could not be loaded: {ex.Message}", ex);
        }

        try
        {
            CheckShapes(session, modelPath, labels.Length);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new MusiCnnModel(session, name, task, labels);
    }

    /// <summary>
    /// Patches per inference run. MusiCNN's front-end feature maps take tens of MB per patch, so one patch per run keeps
    /// a run's working memory small; batching 4 or 12 measured no gain on 2 cores (and 12 patches peaked at 572 MiB).
    /// </summary>
    public const int BatchPatches = 1;

    /// <summary>Runs every patch (in batches of <see cref="BatchPatches"/>) and returns the mean activation per label.</summary>
    public float[] Predict(ReadOnlyMemory<float> patches, int patchCount, CancellationToken cancellationToken)
    {
        var mean = new float[Labels.Length];
        for (int first = 0; first < patchCount; first += BatchPatches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchPatches, patchCount - first);
            ReadOnlyMemory<float> slice = patches.Slice(first * LogMelPatches.PatchLength, count * LogMelPatches.PatchLength);
            // The runtime only reads its input: wrap the patches in place instead of copying 72 KB per run.
            var input = new DenseTensor<float>(MemoryMarshal.AsMemory(slice), [count, LogMelPatches.Frames, LogMelPatches.Bands]);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, input)]);
            Tensor<float> activations = results.First(r => r.Name == OutputName).AsTensor<float>();
            for (int p = 0; p < count; p++)
            {
                for (int l = 0; l < mean.Length; l++)
                {
                    mean[l] += activations[p, l];
                }
            }
        }

        for (int l = 0; l < mean.Length; l++)
        {
            mean[l] /= patchCount;
        }

        return mean;
    }

    public void Dispose() => _session.Dispose();

    private static void CheckShapes(InferenceSession session, string path, int labelCount)
    {
        if (!session.InputMetadata.TryGetValue(InputName, out NodeMetadata? input)
            || input.Dimensions.Length != 3 || input.Dimensions[1] != LogMelPatches.Frames || input.Dimensions[2] != LogMelPatches.Bands)
        {
            throw new InvalidDataException($"The MusiCNN model '{path}' does not take '{InputName}' [batch, {LogMelPatches.Frames}, {LogMelPatches.Bands}].");
        }

        if (!session.OutputMetadata.TryGetValue(OutputName, out NodeMetadata? output)
            || output.Dimensions.Length != 2 || (output.Dimensions[1] > 0 && output.Dimensions[1] != labelCount))
        {
            throw new InvalidDataException($"The MusiCNN model '{path}' does not give '{OutputName}' [batch, {labelCount}] for its {labelCount} labels.");
        }
    }
}
