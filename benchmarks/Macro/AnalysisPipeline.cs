using MusicClassification.Classification.MusiCnn;

namespace MusicClassification.Benchmarks.Macro;

/// <summary>A pipeline with, when a models folder is given, the MusiCNN backend; disposes both in the right order.</summary>
internal sealed class AnalysisPipeline : IAsyncDisposable
{
    private readonly MusiCnnClassifier? _musiCnn;

    private AnalysisPipeline(MusicClassificationPipeline pipeline, MusiCnnClassifier? musiCnn)
    {
        Pipeline = pipeline;
        _musiCnn = musiCnn;
    }

    public MusicClassificationPipeline Pipeline { get; }

    public static AnalysisPipeline Create(PipelineOptions options, string? models, int? maxPatches = 3)
    {
        MusiCnnClassifier? musiCnn = models is { Length: > 0 } ? MusiCnnClassifier.Load(new MusiCnnOptions { ModelsPath = models, MaxPatches = maxPatches }) : null;
        return new AnalysisPipeline(MusicClassificationPipeline.Create(options, musiCnn is null ? [] : [musiCnn]), musiCnn);
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        _musiCnn?.Dispose();
    }
}
