using Microsoft.ML.OnnxRuntime;
using MusicClassification.Classification;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>
/// The MusiCNN ONNX models found in a models directory (never embedded: their licence is CC BY-NC-ND), each with one
/// shared, thread-safe <see cref="InferenceSession"/> and the labels of its <c>.labels.txt</c>. Loading checks every file
/// and reports the first bad one by name.
/// </summary>
internal sealed class MusiCnnModelSet : IDisposable
{
    /// <summary>The models this backend knows: file stem, task, what the task is, and (for binary heads) the positive label.</summary>
    public static readonly MusiCnnKnownModel[] Known =
    [
        new("msd-musicnn-1", "tags", ClassifierKind.Tags, null),
        new("mood_happy-musicnn-msd-2", "mood_happy", ClassifierKind.Mood, "happy"),
        new("mood_sad-musicnn-msd-2", "mood_sad", ClassifierKind.Mood, "sad"),
        new("mood_relaxed-musicnn-msd-2", "mood_relaxed", ClassifierKind.Mood, "relaxed"),
        new("mood_aggressive-musicnn-msd-2", "mood_aggressive", ClassifierKind.Mood, "aggressive"),
        new("danceability-musicnn-msd-2", "danceability", ClassifierKind.Danceability, "danceable"),
    ];

    private MusiCnnModelSet(IReadOnlyList<(MusiCnnModel Model, MusiCnnKnownModel Known)> models) => Models = models;

    public IReadOnlyList<(MusiCnnModel Model, MusiCnnKnownModel Known)> Models { get; }

    /// <summary>
    /// Admits at most one inference per core at a time across all models: more concurrent runs only add their working
    /// memory (the part of the pipeline that would otherwise break the memory budget) without adding throughput.
    /// </summary>
    public SemaphoreSlim Gate { get; } = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Loads every known model present in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory is missing, has no known model, or a model or label file is unusable; the message names it.</exception>
    public static MusiCnnModelSet Load(string directory, bool sharedArena = true)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"The MusiCNN models directory '{directory}' does not exist.");
        }

        var models = new List<(MusiCnnModel, MusiCnnKnownModel)>();
        try
        {
            foreach (MusiCnnKnownModel known in Known)
            {
                string modelPath = Path.Combine(directory, known.Stem + ".onnx");
                if (!File.Exists(modelPath))
                {
                    continue;
                }

                MusiCnnModel model = MusiCnnModel.Load(modelPath, Path.Combine(directory, known.Stem + ".labels.txt"), known.Stem, known.Task, sharedArena);
                models.Add((model, known));
                if (known.PositiveLabel is { } positive && !model.Labels.Contains(positive, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"The MusiCNN model '{modelPath}' has no label '{positive}' in its labels file.");
                }
            }
        }
        catch
        {
            models.ForEach(m => m.Item1.Dispose());
            throw;
        }

        return models.Count == 0
            ? throw new InvalidDataException($"The MusiCNN models directory '{directory}' holds none of: {string.Join(", ", Known.Select(k => k.Stem + ".onnx"))}.")
            : new MusiCnnModelSet(models);
    }

    public void Dispose()
    {
        foreach ((MusiCnnModel model, _) in Models)
        {
            model.Dispose();
        }

        Gate.Dispose();
    }
}
