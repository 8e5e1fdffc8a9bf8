namespace MusicClassification.Classification;

/// <summary>
/// A classification backend the pipeline runs on every song: one or more models that read the same input. The
/// embedded genre model and the MusiCNN backend (package <c>MusicClassification.Pipeline.MusiCnn</c>) are two; implement
/// it for a model of your own and register it with dependency injection (<c>services.AddSingleton&lt;ISongClassifier, MyClassifier&gt;()</c>)
/// or pass it to <see cref="MusicClassificationPipeline.Create(PipelineOptions, IEnumerable{ISongClassifier}, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?)"/>.
/// </summary>
/// <remarks>
/// One instance serves every worker at once: implementations must be thread-safe, and should keep per-song state in
/// what <see cref="Prepare"/> returns rather than in fields. A classifier that throws fails only the song it was
/// classifying (<c>internal_error</c>, or the code of a <see cref="SongFailureException"/>).
/// </remarks>
public interface ISongClassifier
{
    /// <summary>Gets the models this backend runs, described from their manifests.</summary>
    IReadOnlyList<ModelDescription> Models { get; }

    /// <summary>
    /// Runs in the feature stage while the decoded audio still exists and returns what <see cref="ClassifyAsync"/> will
    /// need from the audio (say, a spectrogram), or <see langword="null"/> when the model reads only the computed
    /// features. What it returns is kept until the song is classified, so it should be small; the audio is not kept.
    /// </summary>
    /// <param name="audio">The analysed window as mono samples at the analysis rate; valid only during the call.</param>
    /// <param name="cancellationToken">The song's cancellation (its timeout or the caller's).</param>
    /// <returns>The prepared input, handed back in <see cref="SongAnalysis.Prepared"/>.</returns>
    object? Prepare(SongAudio audio, CancellationToken cancellationToken) => null;

    /// <summary>Classifies one song in the classify stage.</summary>
    /// <param name="song">The song's features and what <see cref="Prepare"/> returned for it.</param>
    /// <param name="cancellationToken">The song's cancellation (its timeout or the caller's).</param>
    /// <returns>One output per model that could classify the song; empty when the inputs it needs were not computed.</returns>
    ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken);
}
