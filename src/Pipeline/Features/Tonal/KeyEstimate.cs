namespace MusicClassification.Features.Tonal;

/// <summary>A key estimate: the tonic (C = 0 … B = 11), whether the mode is minor, and the winning correlation.</summary>
internal readonly record struct KeyEstimate(int Tonic, bool IsMinor, double Strength);
