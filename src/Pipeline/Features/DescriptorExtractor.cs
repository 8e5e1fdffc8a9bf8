using MusicClassification.Decoding;
using MusicClassification.Features.Gtzan;
using MusicClassification.Dsp;
using MusicClassification.Dsp.Resampling;

namespace MusicClassification.Features;

/// <summary>The default feature stage: the descriptors every song gets and the feature vectors the options ask for. Stateless, safe to share across workers.</summary>
internal sealed class DescriptorExtractor(FeatureOptions options, bool musiCnnPatches = false, int? maxPatches = null) : IFeatureExtractor
{
    /// <summary>The GTZAN features describe 30 s clips; longer audio contributes its middle 30 s.</summary>
    public const int GtzanExcerptSamples = 30 * GtzanFeatureExtractor.SampleRate;

    public ValueTask<SongFeatures> ExtractAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        SignalLevel level = SignalLevel.Measure(audio.Samples, cancellationToken);
        AudioDescriptors descriptors = new()
        {
            Format = audio.Source.Format,
            DurationSeconds = audio.Source.DurationSeconds,
            WindowStartSeconds = audio.Source.WindowStartSeconds,
            AnalysedSeconds = audio.DurationSeconds,
            SampleRate = audio.Source.SampleRate,
            Channels = audio.Source.Channels,
            AnalysisSampleRate = audio.SampleRate,
            RmsDbfs = Math.Round(level.RmsDbfs, 3),
            PeakDbfs = Math.Round(level.PeakDbfs, 3),
            LoudnessLufs = Round(audio.Source.Loudness.IntegratedLufs, 2),
            LoudnessRangeLu = Round(audio.Source.Loudness.LoudnessRangeLu, 2),
            TruePeakDbtp = Math.Round(audio.Source.Loudness.TruePeakDbtp, 2),
        };

        IReadOnlyDictionary<string, double>? gtzan = null;
        if (audio.SampleRate == GtzanFeatureExtractor.SampleRate)
        {
            // One pass over the middle 30 s gives the GTZAN columns and, as by-products, the chroma and tempo.
            ReadOnlySpan<float> samples = audio.Samples;
            int start = Math.Max(0, (samples.Length - GtzanExcerptSamples) / 2);
            var columns = new Dictionary<string, double>(GtzanColumns.All.Count);
            ExcerptAnalysis excerpt = GtzanFeatureExtractor.Compute(samples.Slice(start, Math.Min(samples.Length, GtzanExcerptSamples)), columns, cancellationToken);
            gtzan = options.GtzanVector ? GtzanColumns.All.ToDictionary(name => name, name => columns[name]) : null;
            var key = Tonal.KeyEstimator.Estimate(excerpt.MeanChroma);
            descriptors = descriptors with
            {
                TempoBpm = Math.Round(excerpt.Tempo.RefinedBpm, 2),
                TempoConfidence = Math.Round(excerpt.Tempo.Confidence, 3),
                Key = key is { } k ? Tonal.KeyEstimator.TonicName(k.Tonic) : null,
                Mode = key is { } m ? (m.IsMinor ? "minor" : "major") : null,
                KeyStrength = key is { } s ? Math.Round(s.Strength, 3) : null,
                Spectral = excerpt.Spectral,
            };
        }

        MusiCnn.MusiCnnPatches? patches = musiCnnPatches ? Patches(audio, maxPatches, cancellationToken) : null;
        return ValueTask.FromResult(new SongFeatures(descriptors, gtzan, patches));
    }

    private static double? Round(double? value, int digits) => value is double v ? Math.Round(v, digits) : null;

    /// <summary>
    /// Cuts the chosen patches of the analysed audio resampled to 16 kHz as Essentia's MonoLoader does; only the spans
    /// those patches read are resampled (3 × 3 s with the default policy, not the whole window).
    /// </summary>
    private static MusiCnn.MusiCnnPatches Patches(DecodedAudio audio, int? maxPatches, CancellationToken cancellationToken)
    {
        var plan = ResamplerPlan.For(audio.SampleRate, MusiCnn.MusiCnnInput.SampleRate, ResamplerDesign.EssentiaMonoLoader);
        int length = (int)plan.OutputLength(audio.Length);
        int available = MusiCnn.MusiCnnInput.PatchCount(length);
        int count = maxPatches is int limit ? Math.Min(limit, available) : available;
        var values = new float[count * MusiCnn.MusiCnnInput.PatchLength];
        float[] span = SampleBuffers.Pool.Rent(MusiCnn.MusiCnnInput.PatchSpanLength);
        try
        {
            for (int i = 0; i < count; i++)
            {
                // Evenly spaced, first and last included (every patch when count == available).
                int source = count == available ? i : count == 1 ? available / 2 : (int)Math.Round(i * (available - 1) / (double)(count - 1));
                (int start, int spanLength) = MusiCnn.MusiCnnInput.PatchSpan(length, source);
                plan.Resample(audio.Samples, start, span.AsSpan(0, spanLength));
                MusiCnn.MusiCnnInput.ComputePatch(span.AsSpan(0, spanLength), start, length, source, values.AsSpan(i * MusiCnn.MusiCnnInput.PatchLength, MusiCnn.MusiCnnInput.PatchLength), cancellationToken);
            }
        }
        finally
        {
            SampleBuffers.Pool.Return(span);
        }

        return new MusiCnn.MusiCnnPatches(values, count);
    }
}
