using System.Buffers;
using MusicClassification.Decoding;
using MusicClassification.Features.Gtzan;
using MusicClassification.Scheduling;

namespace MusicClassification.Features;

/// <summary>The default feature stage: the measurements every song gets and the feature vectors the options ask for. Stateless, safe to share across workers.</summary>
internal sealed class DescriptorExtractor(FeatureOptions options, ArrayPool<float> pool) : IFeatureExtractor
{
    /// <summary>The GTZAN features describe 30 s clips; longer audio contributes its middle 30 s.</summary>
    public const int GtzanExcerptSamples = 30 * GtzanFeatureExtractor.SampleRate;

    public async ValueTask<SongFeatures> ExtractAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        // Between analyses the song may step aside for one someone is waiting for (a batch song on a small box).
        SignalLevel level = SignalLevel.Measure(audio.Samples, cancellationToken);
        await SongTurn.YieldAsync(cancellationToken).ConfigureAwait(false);
        Tonal.KeyEstimate? key = Tonal.KeyEstimator.Estimate(audio.Samples, audio.SampleRate, options.KeyProfile, pool, cancellationToken);
        await SongTurn.YieldAsync(cancellationToken).ConfigureAwait(false);
        var measurements = new SongMeasurements(audio.Source, audio.DurationSeconds, audio.SampleRate, level)
        {
            Key = key,
            // The decoder's tap has the onset functions at Essentia's rate; audio handed in without one is analysed at its own.
            Beats = audio.Tap is Rhythm.OnsetFunctionsBuilder onsets
                ? Rhythm.BeatTracker.Analyse(onsets.Complete(), pool)
                : Rhythm.BeatTracker.Analyse(audio.Samples, audio.SampleRate, pool, cancellationToken),
        };
        IReadOnlyDictionary<string, double>? gtzan = null;
        if (audio.SampleRate == GtzanFeatureExtractor.SampleRate)
        {
            await SongTurn.YieldAsync(cancellationToken).ConfigureAwait(false);
            // One pass over the middle 30 s gives the GTZAN columns and, as a by-product, the spectral shape.
            ReadOnlySpan<float> samples = audio.Samples;
            int start = Math.Max(0, (samples.Length - GtzanExcerptSamples) / 2);
            var columns = new Dictionary<string, double>(GtzanColumns.All.Count);
            ExcerptAnalysis excerpt = GtzanFeatureExtractor.Compute(samples.Slice(start, Math.Min(samples.Length, GtzanExcerptSamples)), columns, pool, cancellationToken);
            gtzan = options.GtzanVector ? GtzanColumns.All.ToDictionary(name => name, name => columns[name]) : null;
            measurements = measurements with
            {
                Spectral = excerpt.Spectral,
            };
        }

        return new SongFeatures(measurements, gtzan);
    }
}
