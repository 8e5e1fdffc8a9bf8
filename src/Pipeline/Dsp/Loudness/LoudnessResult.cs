namespace MusicClassification.Dsp.Loudness;

/// <summary>EBU R128 measurements of one song (or its analysis window).</summary>
/// <param name="IntegratedLufs">Gated integrated loudness (LUFS); null when every block is below the −70 LUFS gate.</param>
/// <param name="LoudnessRangeLu">Loudness range (LU, EBU Tech 3342); null when fewer than two short-term blocks pass the gates.</param>
/// <param name="TruePeakDbtp">Maximum true peak over all channels (dBTP, 4× oversampled).</param>
internal readonly record struct LoudnessResult(double? IntegratedLufs, double? LoudnessRangeLu, double TruePeakDbtp);
