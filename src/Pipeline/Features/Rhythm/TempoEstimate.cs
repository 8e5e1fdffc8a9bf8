namespace MusicClassification.Features.Rhythm;

/// <summary>A tempo estimate: librosa's grid value, the interpolated value, and how periodic the onsets are; all zero without onsets.</summary>
internal readonly record struct TempoEstimate(double GridBpm, double RefinedBpm, double Confidence);
