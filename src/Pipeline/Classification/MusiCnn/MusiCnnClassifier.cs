using MusicClassification.Features;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>Runs one MusiCNN model on a song's log-mel patches (all of them, Essentia's behaviour) and averages the activations.</summary>
internal sealed class MusiCnnClassifier(MusiCnnModel model, SemaphoreSlim gate) : ISongClassifier
{
    public async ValueTask<ClassifierOutput?> ClassifyAsync(SongFeatures features, CancellationToken cancellationToken)
    {
        if (features.MusiCnnPatches is not { Count: > 0 } patches)
        {
            return null;
        }

        float[] activations;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            activations = model.Predict(patches.Values, patches.Count, cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        LabelScore[] scores = LabelScore.Ranked(model.Labels, activations);
        return new ClassifierOutput(model.Task, scores, $"{model.Name}@{Version}");
    }

    /// <summary>The version Essentia's model names end with (<c>msd-musicnn-1</c> → 1).</summary>
    private string Version => model.Name.Split('-')[^1];

    public ModelDescription Describe() => new(
        model.Name,
        Version,
        model.Task,
        model.Labels,
        ["melspectrogram [patches, 187, 96]: MusiCNN log-mel patches of 16 kHz audio"],
        "CC BY-NC-ND 4.0 © Music Technology Group, Universitat Pompeu Fabra (non-commercial use, attribution)",
        "Essentia TensorFlow.js MusiCNN models converted to ONNX, loaded from the configured models directory",
        null);
}
