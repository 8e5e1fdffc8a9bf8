using MusicClassification.Decoding;

namespace MusicClassification.Features;

/// <summary>The default feature stage: measures the descriptors every song gets. Stateless, safe to share across workers.</summary>
internal sealed class DescriptorExtractor : IFeatureExtractor
{
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
        return ValueTask.FromResult(new SongFeatures(descriptors));
    }
}
