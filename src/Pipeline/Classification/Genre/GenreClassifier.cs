namespace MusicClassification.Classification.Genre;

/// <summary>Runs the embedded genre model on a song's GTZAN vector. Stateless; the model is immutable and shared.</summary>
internal sealed class GenreClassifier(GenreModel model) : ISongClassifier
{
    public IReadOnlyList<ModelDescription> Models { get; } = [Describe(model.File)];

    public ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken)
    {
        if (song.GtzanFeatures is not { } gtzan)
        {
            return ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>([]);
        }

        GenreModelFile file = model.File;
        var input = new double[file.Inputs.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = gtzan[file.Inputs[i]];
        }

        float[] probabilities = model.Predict(input);
        var output = new ClassifierOutput(ClassifierKind.Genre, "genre", LabelScore.Ranked(file.Labels, probabilities), $"{file.Name}@{file.Version}");
        return ValueTask.FromResult<IReadOnlyList<ClassifierOutput>>([output]);
    }

    private static ModelDescription Describe(GenreModelFile file) =>
        new(file.Name, file.Version, "genre", file.Labels, file.Inputs, file.Licence, file.Source, file.CrossValidatedAccuracy);
}
