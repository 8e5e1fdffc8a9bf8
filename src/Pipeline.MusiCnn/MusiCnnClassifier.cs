using MusicClassification.Classification;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>
/// The MusiCNN backend: Essentia's MusiCNN models (50 Million Song Dataset tags, four moods, danceability) run with ONNX
/// Runtime on a song's log-mel patches, with activations within 2e-4 of Essentia's. Thread-safe; one instance serves
/// every worker. Dispose it (or let dependency injection dispose it) to release the ONNX Runtime sessions.
/// </summary>
/// <example>
/// <code>
/// using MusiCnnClassifier musiCnn = MusiCnnClassifier.Load("models");
/// await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions(), [musiCnn]);
/// </code>
/// </example>
public sealed class MusiCnnClassifier : ISongClassifier<LogMelPatches>, IDisposable
{
    private readonly MusiCnnModelSet _models;
    private readonly int? _maxPatches;

    private MusiCnnClassifier(MusiCnnModelSet models, int? maxPatches)
    {
        _models = models;
        _maxPatches = maxPatches;
        Models = [.. models.Models.Select(m => Describe(m.Model))];
    }

    /// <inheritdoc/>
    public IReadOnlyList<ModelDescription> Models { get; }

    /// <summary>Loads every known model in <paramref name="modelsPath"/> with the default options.</summary>
    /// <param name="modelsPath">The models folder.</param>
    /// <returns>The backend, ready to share.</returns>
    /// <exception cref="InvalidDataException">The folder is missing, holds no known model, or a model or labels file is unusable; the message names it.</exception>
    public static MusiCnnClassifier Load(string modelsPath) => Load(new MusiCnnOptions { ModelsPath = modelsPath });

    /// <summary>Validates <paramref name="options"/> and loads every known model in its folder.</summary>
    /// <param name="options">The settings.</param>
    /// <returns>The backend, ready to share.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; the message lists every invalid option.</exception>
    /// <exception cref="InvalidDataException">The folder is missing, holds no known model, or a model or labels file is unusable; the message names it.</exception>
    public static MusiCnnClassifier Load(MusiCnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MusiCnnOptionsValidator.ThrowIfInvalid(options);
        if (options.ReturnFreedNativeMemory)
        {
            NativeHeap.ReturnLargeBlocksToTheSystem();
        }

        return new MusiCnnClassifier(MusiCnnModelSet.Load(options.ModelsPath, options.SharedMemoryArena), options.MaxPatches);
    }

    /// <summary>Cuts the song's log-mel patches (resampled to 16 kHz as Essentia does) while its audio exists.</summary>
    /// <param name="audio">The analysed window.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>The patches, shared by the six models.</returns>
    public LogMelPatches Prepare(SongAudio audio, CancellationToken cancellationToken) =>
        LogMelPatches.ForMusiCnn(audio, _maxPatches, cancellationToken);

    /// <summary>Runs every loaded model on the song's patches and averages each model's activations over them.</summary>
    /// <param name="song">The song.</param>
    /// <param name="input">The patches <see cref="Prepare"/> cut.</param>
    /// <param name="cancellationToken">Stops between patches.</param>
    /// <returns>One output per model; empty for a song too short for a patch.</returns>
    public async ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, LogMelPatches? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(song);
        if (input is not { Count: > 0 } patches)
        {
            return [];
        }

        var outputs = new List<ClassifierOutput>(_models.Models.Count);
        foreach ((MusiCnnModel model, MusiCnnKnownModel known) in _models.Models)
        {
            // Between models, and before taking a place among the runs at once: a single song sent meanwhile goes first.
            await song.YieldAsync(cancellationToken).ConfigureAwait(false);
            float[] activations;
            await _models.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                activations = model.Predict(patches.Values, patches.Count, cancellationToken);
            }
            finally
            {
                _models.Gate.Release();
            }

            IReadOnlyList<LabelScore> scores = LabelScore.Ranked(model.Labels, activations);
            if (known.PositiveLabel is { } positive)
            {
                // A binary head reports its positive label first, whatever its probability.
                scores = [.. scores.OrderBy(s => s.Label == positive ? 0 : 1)];
            }

            outputs.Add(new ClassifierOutput(known.Kind, known.Task, scores, $"{model.Name}@{Version(model)}"));
        }

        return outputs;
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose() => _models.Dispose();

    /// <summary>The version Essentia's model names end with (<c>msd-musicnn-1</c> → 1).</summary>
    private static string Version(MusiCnnModel model) => model.Name.Split('-')[^1];

    private static ModelDescription Describe(MusiCnnModel model) => new(
        model.Name,
        Version(model),
        model.Task,
        model.Labels,
        ["melspectrogram [patches, 187, 96]: MusiCNN log-mel patches of 16 kHz audio"],
        "CC BY-NC-ND 4.0 © Music Technology Group, Universitat Pompeu Fabra (non-commercial use, attribution)",
        "Essentia TensorFlow.js MusiCNN models converted to ONNX, loaded from the configured models directory",
        null);
}
