using System.Threading.Tasks.Dataflow;
using MusicClassification.Classification;
using MusicClassification.Decoding;
using MusicClassification.Diagnostics;
using MusicClassification.Features;

namespace MusicClassification.Engine;

/// <summary>
/// The shared Dataflow mesh: decode → features → classify → deliver. Every block is bounded, so decoded audio alive at
/// once is at most decode (parallelism) + features (parallelism + <see cref="PipelineOptions.DecodedCapacity"/>) songs,
/// whatever the batch size. Output order is not enforced inside the mesh; lanes restore submission order if asked.
/// </summary>
internal sealed class PipelineBlocks
{
    private readonly PipelineComponents _components;
    private readonly StageRunner _runner;
    private readonly TimeSpan _songTimeout;
    private readonly WorkClock _clock;
    private readonly TransformBlock<SongWork, SongWork> _decode;
    private readonly ActionBlock<SongWork> _deliver;

    public PipelineBlocks(PipelineOptions options, PipelineSizing sizing, PipelineComponents components, WorkClock clock, StageRunner runner)
    {
        _components = components;
        _runner = runner;
        _songTimeout = options.SongTimeout;
        _clock = clock;
        int parallelism = sizing.MaxDegreeOfParallelism;

        _decode = new TransformBlock<SongWork, SongWork>(DecodeAsync, StageOptions(parallelism, parallelism));
        var features = new TransformBlock<SongWork, SongWork>(ExtractAsync, StageOptions(parallelism, parallelism + options.DecodedCapacity));
        var classify = new TransformBlock<SongWork, SongWork>(ClassifyAsync, StageOptions(parallelism, parallelism));
        _deliver = new ActionBlock<SongWork>(static work => work.Lane.Deliver(work), StageOptions(1, parallelism));

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        _decode.LinkTo(features, link);
        features.LinkTo(classify, link);
        classify.LinkTo(_deliver, link);
    }

    public ITargetBlock<SongWork> Head => _decode;

    public Task Completion => _deliver.Completion;

    public void Complete() => _decode.Complete();

    private static ExecutionDataflowBlockOptions StageOptions(int parallelism, int capacity) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        BoundedCapacity = capacity,
        EnsureOrdered = false,
    };

    private async Task<SongWork> DecodeAsync(SongWork work)
    {
        // The song's memory was reserved when the dispatcher chose it; its clock starts here, at its first work.
        work.Start(_clock, _songTimeout);
        work.Audio = await _runner.RunAsync(
            work,
            PipelineStage.Decode,
            _components.Decoder,
            static (w, decoder, ct) => decoder.DecodeAsync(w.Input, ct)).ConfigureAwait(false);
        return work;
    }

    private async Task<SongWork> ExtractAsync(SongWork work)
    {
        // The decoded audio is released here, when extraction has really finished with it: the biggest buffer lives shortest.
        var audio = work.Audio;
        work.Audio = null;
        work.Features = await _runner.RunAsync(
            work,
            PipelineStage.Features,
            (_components, audio),
            static async (w, state, ct) =>
            {
                // The fingerprint's own decode (another FFmpeg process) runs while the features are extracted here.
                Task<string?>? fingerprint = state._components.Fingerprinter?.FingerprintAsync(w.Input, ct);
                SongFeatures features = await state._components.Features.ExtractAsync(state.audio!, ct).ConfigureAwait(false);
                w.Prepared = Prepare(state._components, state.audio!, ct);
                w.Fingerprint = fingerprint is null ? null : await fingerprint.ConfigureAwait(false);
                return features;
            },
            audio).ConfigureAwait(false);
        work.Memory?.Dispose();
        work.Memory = null;
        return work;
    }

    /// <summary>Each classifier reads what it needs from the audio now, since the audio does not outlive this stage.</summary>
    private static object?[] Prepare(PipelineComponents components, DecodedAudio audio, CancellationToken cancellationToken)
    {
        IReadOnlyList<ISongClassifier> classifiers = components.Classifiers;
        var prepared = new object?[classifiers.Count];
        for (int i = 0; i < prepared.Length; i++)
        {
            prepared[i] = classifiers[i].PrepareInput(new SongAudio(audio.Samples, audio.SampleRate, components.Pool), cancellationToken);
        }

        return prepared;
    }

    private async Task<SongWork> ClassifyAsync(SongWork work)
    {
        if (_components.Classifiers.Count == 0 || work.IsFailed)
        {
            return work;
        }

        work.Classifications = await _runner.RunAsync(
            work,
            PipelineStage.Classify,
            _components.Classifiers,
            static async (w, classifiers, ct) =>
            {
                var outputs = new List<ClassifierOutput>(classifiers.Count);
                for (int i = 0; i < classifiers.Count; i++)
                {
                    var song = new SongAnalysis(w.Input.Id, w.Features!.Gtzan, w.Prepared?[i], w.Turn);
                    outputs.AddRange(await classifiers[i].ClassifyAsync(song, ct).ConfigureAwait(false));
                }

                w.Prepared = null;
                return outputs;
            }).ConfigureAwait(false);
        return work;
    }
}
