using MusicClassification.Classification;
using MusicClassification.Dsp;
using MusicClassification.Features;
using MusicClassification.Features.Tonal;

namespace MusicClassification.Engine;

/// <summary>
/// The one place internal analysis becomes the public result: it names things (keys, modes, result fields by
/// <see cref="ClassifierKind"/>) and owns the rounding, applied here and nowhere in the analysis, so a
/// <see cref="PipelineOptions.RoundResults"/> of <see langword="false"/> shows every value exactly as computed.
/// </summary>
internal sealed class ResultMapper(bool round)
{
    // Digits each value is meaningful to: probabilities 4; levels to the milli-dB a 16-bit file resolves; EBU R128
    // values to 0.01 LU (Tech 3341 asks ±0.1); tempo 0.01 BPM; correlations 3; spectral means 6, shape moments 4.
    private const int ProbabilityDigits = 4;
    private const int LevelDigits = 3;
    private const int LoudnessDigits = 2;
    private const int TempoDigits = 2;
    private const int CorrelationDigits = 3;
    private const int MeanDigits = 6;
    private const int MomentDigits = 4;

    /// <summary>Durations and positions to the millisecond (a FLAC's 30.001333333333335 s is 30.001 s).</summary>
    private const int SecondsDigits = 3;

    public SongResult ToResult(SongWork work)
    {
        SongError? error = work.Error ?? (work.Features is null
            ? new SongError(SongErrorCode.Internal, "The song finished without features or an error.")
            : null);
        if (error is not null)
        {
            return new SongResult { Id = work.Input.Id, Index = work.Index, Error = error, Timings = work.Timings };
        }

        SongFeatures features = work.Features!;
        List<ClassifierOutput> outputs = work.Classifications ?? [];
        LabelScore[] moods = [.. outputs.Where(o => o.Kind == ClassifierKind.Mood && o.Scores.Count > 0).Select(o => Rounded(o.Scores[0]))];
        ClassifierOutput[] other = [.. outputs.Where(o => o.Kind == ClassifierKind.Other)];
        return new SongResult
        {
            Id = work.Input.Id,
            Index = work.Index,
            Audio = Descriptors(features.Measurements),
            GtzanFeatures = features.Gtzan,
            Genres = Scores(outputs.FirstOrDefault(o => o.Kind == ClassifierKind.Genre)),
            Tags = Scores(outputs.FirstOrDefault(o => o.Kind == ClassifierKind.Tags)),
            Moods = moods.Length > 0 ? moods : null,
            Danceability = outputs.FirstOrDefault(o => o.Kind == ClassifierKind.Danceability) is { Scores.Count: > 0 } dance
                ? Round(dance.Scores[0].Probability, ProbabilityDigits)
                : null,
            Classifications = other.Length > 0 ? other.ToDictionary(o => o.Task, o => Scores(o)!) : null,
            Models = outputs.Count > 0 ? [.. outputs.Select(o => o.Model).Distinct()] : null,
            Fingerprint = work.Fingerprint,
            Timings = work.Timings,
        };
    }

    private AudioDescriptors Descriptors(SongMeasurements m)
    {
        KeyEstimate? key = m.Key;
        return new AudioDescriptors
        {
            Format = m.Source.Format,
            DurationSeconds = Round(m.Source.DurationSeconds, SecondsDigits),
            WindowStartSeconds = Round(m.Source.WindowStartSeconds, SecondsDigits),
            AnalysedSeconds = Round(m.AnalysedSeconds, SecondsDigits),
            SampleRate = m.Source.SampleRate,
            Channels = m.Source.Channels,
            AnalysisSampleRate = m.AnalysisSampleRate,
            RmsDbfs = Round(m.Level.RmsDbfs, LevelDigits),
            PeakDbfs = Round(m.Level.PeakDbfs, LevelDigits),
            LoudnessLufs = Round(m.Source.Loudness.IntegratedLufs, LoudnessDigits),
            LoudnessRangeLu = Round(m.Source.Loudness.LoudnessRangeLu, LoudnessDigits),
            TruePeakDbtp = Round(m.Source.Loudness.TruePeakDbtp, LoudnessDigits),
            TempoBpm = m.Beats is { } tempo ? Round(tempo.Bpm, TempoDigits) : null,
            TempoConfidence = m.Beats is { } confidence ? Round(confidence.Confidence, CorrelationDigits) : null,
            BeatRegularity = m.Beats is { } regularity ? Round(regularity.Regularity, CorrelationDigits) : null,
            Key = key is { } k ? KeyEstimator.TonicName(k.Tonic) : null,
            Mode = key is { } mode ? (mode.IsMinor ? "minor" : "major") : null,
            KeyStrength = key is { } strength ? Round(strength.Strength, CorrelationDigits) : null,
            Spectral = m.Spectral is { } s
                ? new SpectralSummary
                {
                    CentroidHz = Statistics(s.CentroidHz),
                    BandwidthHz = Statistics(s.BandwidthHz),
                    RolloffHz = Statistics(s.RolloffHz),
                    Flatness = Statistics(s.Flatness),
                }
                : null,
        };
    }

    private Statistics Statistics(Moments m) => new(
        Round(m.Mean, MeanDigits), Round(Math.Sqrt(m.Variance), MeanDigits), Round(m.Skewness, MomentDigits), Round(m.Kurtosis, MomentDigits));

    private IReadOnlyList<LabelScore>? Scores(ClassifierOutput? output) =>
        output is null ? null : [.. output.Scores.Select(Rounded)];

    private LabelScore Rounded(LabelScore score) => round ? score with { Probability = Math.Round(score.Probability, ProbabilityDigits) } : score;

    private double Round(double value, int digits) => round ? Math.Round(value, digits) : value;

    private double? Round(double? value, int digits) => value is double v ? Round(v, digits) : null;
}
