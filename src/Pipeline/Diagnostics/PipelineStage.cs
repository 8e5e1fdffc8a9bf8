namespace MusicClassification.Diagnostics;

/// <summary>The stages a song passes through, used in timings, metrics and logs.</summary>
internal enum PipelineStage
{
    Decode,
    Features,
    Classify,
}
