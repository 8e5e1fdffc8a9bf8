using Microsoft.ML.OnnxRuntime;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>
/// The MusiCNN ONNX models found in a models directory (never embedded: their licence is CC BY-NC-ND), each with one
/// shared, thread-safe <see cref="InferenceSession"/> and the labels of its <c>.labels.txt</c>. Loading checks every file
/// and reports the first bad one by name.
/// </summary>
internal sealed class MusiCnnModelSet : IDisposable
{
    /// <summary>The models this backend knows: file stem and the task it answers.</summary>
    public static readonly (string Stem, string Task)[] Known =
    [
        ("msd-musicnn-1", "tags"),
        ("mood_happy-musicnn-msd-2", "mood_happy"),
        ("mood_sad-musicnn-msd-2", "mood_sad"),
        ("mood_relaxed-musicnn-msd-2", "mood_relaxed"),
        ("mood_aggressive-musicnn-msd-2", "mood_aggressive"),
        ("danceability-musicnn-msd-2", "danceability"),
    ];

    private MusiCnnModelSet(IReadOnlyList<MusiCnnModel> models) => Models = models;

    public IReadOnlyList<MusiCnnModel> Models { get; }

    /// <summary>
    /// Admits at most one inference per core at a time across all models: more concurrent runs only add their working
    /// memory (the part of the pipeline that would otherwise break the memory budget) without adding throughput.
    /// </summary>
    public SemaphoreSlim Gate { get; } = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Loads every known model present in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory is missing, has no known model, or a model or label file is unusable; the message names it.</exception>
    public static MusiCnnModelSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"The MusiCNN models directory '{directory}' does not exist.");
        }

        NativeHeap.ReturnLargeBlocksToTheSystem();
        var models = new List<MusiCnnModel>();
        try
        {
            foreach ((string stem, string task) in Known)
            {
                string modelPath = Path.Combine(directory, stem + ".onnx");
                if (!File.Exists(modelPath))
                {
                    continue;
                }

                models.Add(MusiCnnModel.Load(modelPath, Path.Combine(directory, stem + ".labels.txt"), stem, task));
            }
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }

        return models.Count == 0
            ? throw new InvalidDataException($"The MusiCNN models directory '{directory}' holds none of: {string.Join(", ", Known.Select(k => k.Stem + ".onnx"))}.")
            : new MusiCnnModelSet(models);
    }

    public void Dispose()
    {
        foreach (MusiCnnModel model in Models)
        {
            model.Dispose();
        }

        Gate.Dispose();
    }
}
