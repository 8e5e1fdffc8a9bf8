using System.Diagnostics.CodeAnalysis;

namespace MusicClassification;

/// <summary>
/// The one result every submitted song gets: either its analysis (<see cref="Audio"/>) or a failure
/// (<see cref="Error"/>), never both and never neither.
/// </summary>
public sealed record SongResult
{
    /// <summary>Gets the identifier the caller gave in <see cref="SongInput.Id"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the zero-based position of the song in the caller's batch (0 for a single-song call).</summary>
    public required int Index { get; init; }

    /// <summary>Gets whether the song succeeded or failed.</summary>
    public SongStatus Status => Error is null ? SongStatus.Succeeded : SongStatus.Failed;

    /// <summary>Gets a value indicating whether the song was analysed.</summary>
    [MemberNotNullWhen(true, nameof(Audio))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Gets the measured descriptors of the song; set exactly when the song succeeded.</summary>
    public AudioDescriptors? Audio { get; init; }

    /// <summary>Gets why the song failed; set exactly when the song failed.</summary>
    public SongError? Error { get; init; }

    /// <summary>Gets the most likely genre (the first of <see cref="Genres"/>), or <see langword="null"/> when no genre model ran.</summary>
    public string? Genre => Genres is { Count: > 0 } genres ? genres[0].Label : null;

    /// <summary>Gets the probability of each of the 10 GTZAN genres from the embedded genre model, most likely first.</summary>
    public IReadOnlyList<Classification.LabelScore>? Genres { get; init; }

    /// <summary>Gets the 50 Million Song Dataset tags from MusiCNN (<c>msd-musicnn-1</c>), most likely first; <see langword="null"/> without a models directory.</summary>
    public IReadOnlyList<Classification.LabelScore>? Tags { get; init; }

    /// <summary>Gets the MusiCNN mood probabilities (<c>happy</c>, <c>sad</c>, <c>relaxed</c>, <c>aggressive</c>), each from its own binary model.</summary>
    public IReadOnlyList<Classification.LabelScore>? Moods { get; init; }

    /// <summary>Gets the MusiCNN probability that the song is danceable.</summary>
    public double? Danceability { get; init; }

    /// <summary>
    /// Gets the scores of classifiers of kind <see cref="Classification.ClassifierKind.Other"/> (models of your own),
    /// keyed by their task name, most likely first; <see langword="null"/> when there are none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Classification.LabelScore>>? Classifications { get; init; }

    /// <summary>Gets the models that classified the song, as <c>name@version</c>.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>
    /// Gets the song's GTZAN feature vector: the 57 columns of the GTZAN features table (librosa's chroma, RMS,
    /// spectral, zero-crossing, harmonic/percussive, tempo and MFCC statistics) keyed by the table's column names,
    /// computed on the middle 30 s of the analysed audio. <see langword="null"/> for failed songs, or when
    /// <see cref="FeatureOptions.GtzanVector"/> is off or the analysis rate is not 22 050 Hz.
    /// </summary>
    public IReadOnlyDictionary<string, double>? GtzanFeatures { get; init; }

    /// <summary>
    /// Gets the song's AcoustID fingerprint (Chromaprint's default algorithm over the first 120 s, compressed and
    /// Base64-encoded exactly as <c>fpcalc</c> prints it), for a lookup on AcoustID/MusicBrainz with
    /// <see cref="AudioDescriptors.DurationSeconds"/>; null unless <see cref="FeatureOptions.Fingerprint"/> is on, or
    /// when none could be made (under ~3 s of audio, or FFmpeg missing).
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Gets how long the song spent in each stage.</summary>
    public StageTimings Timings { get; init; }
}
