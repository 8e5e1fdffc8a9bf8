namespace MusicClassification.Classification;

/// <summary>
/// A classification backend the pipeline runs on every song: one or more models that read the song's computed features
/// (<see cref="SongAnalysis.GtzanFeatures"/>). A model that reads the audio itself implements
/// <see cref="ISongClassifier{TInput}"/> instead. The embedded genre model and the MusiCNN backend (package
/// <c>MusicClassification.Pipeline.MusiCnn</c>) are two; implement one for a model of your own and register it with
/// dependency injection (<c>services.AddSingleton&lt;ISongClassifier, MyClassifier&gt;()</c>) or pass it to
/// <see cref="MusicClassificationPipeline.Create(PipelineOptions, IEnumerable{ISongClassifier}, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?)"/>.
/// </summary>
/// <remarks>
/// One instance serves every worker at once: implementations must be thread-safe and keep per-song state out of fields.
/// A classifier that throws fails only the song it was classifying: with the code of a <see cref="SongFailureException"/>,
/// else <c>internal_error</c>.
/// </remarks>
public interface ISongClassifier
{
    /// <summary>Gets the models this backend runs, described from their manifests.</summary>
    IReadOnlyList<ModelDescription> Models { get; }

    /// <summary>Classifies one song in the classify stage.</summary>
    /// <param name="song">The song's features.</param>
    /// <param name="cancellationToken">The song's cancellation (its timeout or the caller's).</param>
    /// <returns>One output per model that could classify the song; empty when the inputs it needs were not computed.</returns>
    ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken);

    /// <summary>The engine's way to a typed classifier's <c>Prepare</c> without knowing its input type.</summary>
    internal object? PrepareInput(SongAudio audio, CancellationToken cancellationToken) => null;
}

/// <summary>
/// A classifier that reads the audio: <see cref="Prepare"/> runs in the feature stage while the decoded window exists
/// and returns what <see cref="ClassifyAsync(SongAnalysis, TInput, CancellationToken)"/> will need (a spectrogram, say,
/// such as <see cref="LogMelPatches"/>); the audio itself is not kept, so the input should be small.
/// </summary>
/// <typeparam name="TInput">What the classifier prepares from the audio.</typeparam>
public interface ISongClassifier<TInput> : ISongClassifier
    where TInput : class
{
    /// <summary>Prepares the classifier's input from the analysed audio.</summary>
    /// <param name="audio">The analysed window as mono samples at the analysis rate; valid only during the call.</param>
    /// <param name="cancellationToken">The song's cancellation (its timeout or the caller's).</param>
    /// <returns>The input, or null when this song gives none (it then reaches <c>ClassifyAsync</c> as null).</returns>
    TInput? Prepare(SongAudio audio, CancellationToken cancellationToken);

    /// <summary>Classifies one song in the classify stage from what <see cref="Prepare"/> returned for it.</summary>
    /// <param name="song">The song's features.</param>
    /// <param name="input">What <see cref="Prepare"/> returned for this song.</param>
    /// <param name="cancellationToken">The song's cancellation (its timeout or the caller's).</param>
    /// <returns>One output per model that could classify the song.</returns>
    ValueTask<IReadOnlyList<ClassifierOutput>> ClassifyAsync(SongAnalysis song, TInput? input, CancellationToken cancellationToken);

    object? ISongClassifier.PrepareInput(SongAudio audio, CancellationToken cancellationToken) => Prepare(audio, cancellationToken);

    ValueTask<IReadOnlyList<ClassifierOutput>> ISongClassifier.ClassifyAsync(SongAnalysis song, CancellationToken cancellationToken) =>
        ClassifyAsync(song, song.Input as TInput, cancellationToken);
}
