namespace MusicClassification.Features.MusiCnn;

/// <summary>A song's MusiCNN input: <paramref name="Count"/> patches of 187 × 96 log-mel values, row-major.</summary>
internal sealed record MusiCnnPatches(ReadOnlyMemory<float> Values, int Count);
