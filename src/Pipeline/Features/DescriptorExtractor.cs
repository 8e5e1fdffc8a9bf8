using MusicClassification.Decoding;
using MusicClassification.Features.Gtzan;

namespace MusicClassification.Features;

/// <summary>The default feature stage: the descriptors every song gets and the feature vectors the options ask for. Stateless, safe to share across workers.</summary>
internal sealed class DescriptorExtractor(FeatureOptions options) : IFeatureExtractor
{
    /// <summary>The GTZAN features describe 30 s clips; longer audio contributes its middle 30 s.</summary>
    public const int GtzanExcerptSamples = 30 * GtzanFeatureExtractor.SampleRate;

    public ValueTask<SongFeatures> ExtractAsync(DecodedAudio audio, CancellationToken cancellationToken)
    {
        SignalLevel level = SignalLevel.Measure(audio.Samples, cancellationToken);
        var descriptors = new AudioDescriptors
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
        };

        IReadOnlyDictionary<string, double>? gtzan = null;
        if (options.GtzanVector && audio.SampleRate == GtzanFeatureExtractor.SampleRate)
        {
            ReadOnlySpan<float> samples = audio.Samples;
            int start = Math.Max(0, (samples.Length - GtzanExcerptSamples) / 2);
            var columns = new Dictionary<string, double>(GtzanColumns.All.Count);
            GtzanFeatureExtractor.Compute(samples.Slice(start, Math.Min(samples.Length, GtzanExcerptSamples)), columns, cancellationToken);
            gtzan = GtzanColumns.All.ToDictionary(name => name, name => columns[name]);
        }

        return ValueTask.FromResult(new SongFeatures(descriptors, gtzan));
    }
}
