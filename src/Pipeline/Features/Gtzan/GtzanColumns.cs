namespace MusicClassification.Features.Gtzan;

/// <summary>The GTZAN feature table's column names (features_30_sec.csv), in the table's order.</summary>
internal static class GtzanColumns
{
    public const int MfccCount = 20;

    public static IReadOnlyList<string> All { get; } = Build();

    private static string[] Build()
    {
        var names = new List<string>
        {
            "chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var", "spectral_centroid_mean", "spectral_centroid_var",
            "spectral_bandwidth_mean", "spectral_bandwidth_var", "rolloff_mean", "rolloff_var", "zero_crossing_rate_mean",
            "zero_crossing_rate_var", "harmony_mean", "harmony_var", "perceptr_mean", "perceptr_var", "tempo",
        };
        for (int i = 1; i <= MfccCount; i++)
        {
            names.Add($"mfcc{i}_mean");
            names.Add($"mfcc{i}_var");
        }

        return [.. names];
    }
}
