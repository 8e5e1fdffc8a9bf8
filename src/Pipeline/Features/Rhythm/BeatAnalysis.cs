namespace MusicClassification.Features.Rhythm;

/// <summary>The tempo and beats of a whole analysed window (Essentia's <c>RhythmExtractor2013</c>, multi-feature).</summary>
/// <param name="Bpm">The tempo: the mean of the beat-to-beat tempi within 5 BPM of the most common one; 0 without beats.</param>
/// <param name="Confidence">The beat trackers' mean agreement, at most 5 bits and slightly below 0 without a common pulse (Essentia: above 3.5 is very reliable, below 1.5 poor).</param>
/// <param name="Regularity">The share (0 … 1) of beat-to-beat intervals whose tempo is within 5 BPM of <paramref name="Bpm"/>.</param>
/// <param name="Beats">The beat times in seconds from the start of the window.</param>
internal sealed record BeatAnalysis(double Bpm, double Confidence, double Regularity, IReadOnlyList<double> Beats);
