using MusicClassification.Classification;

namespace MusicClassification.Classification.MusiCnn;

/// <summary>A MusiCNN model this backend knows how to read and report.</summary>
/// <param name="Stem">The file name without <c>.onnx</c>, as Essentia publishes it.</param>
/// <param name="Task">The task name, such as <c>mood_happy</c>.</param>
/// <param name="Kind">Where its output appears in the song's result.</param>
/// <param name="PositiveLabel">For a binary head, the label whose probability is reported (<c>happy</c>, not <c>non_happy</c>).</param>
internal sealed record MusiCnnKnownModel(string Stem, string Task, ClassifierKind Kind, string? PositiveLabel);
