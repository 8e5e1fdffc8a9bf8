using MusicClassification.Features;

namespace MusicClassification.Classification.Genre;

/// <summary>Runs the embedded genre model on a song's GTZAN vector. Stateless; the model is immutable and shared.</summary>
internal sealed class GenreClassifier(GenreModel model) : ISongClassifier
{
    public ValueTask<ClassifierOutput?> ClassifyAsync(SongFeatures features, CancellationToken cancellationToken)
    {
        if (features.Gtzan is not { } gtzan)
        {
            return ValueTask.FromResult<ClassifierOutput?>(null);
        }

        GenreModelFile file = model.File;
        var input = new double[file.Inputs.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = gtzan[file.Inputs[i]];
        }

        float[] probabilities = model.Predict(input);
        LabelScore[] scores = LabelScore.Ranked(file.Labels, probabilities);
        return ValueTask.FromResult<ClassifierOutput?>(new ClassifierOutput("genre", scores, $"{file.Name}@{file.Version}"));
    }

    public ModelDescription Describe()
    {
        GenreModelFile file = model.File;
        return new ModelDescription(file.Name, file.Version, "genre", file.Labels, file.Inputs, file.Licence, file.Source, file.CrossValidatedAccuracy);
    }
}
