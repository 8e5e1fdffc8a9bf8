using Microsoft.Extensions.Logging;
using MusicClassification.Decoding;
using MusicClassification.Diagnostics;
using MusicClassification.Features;
using MusicClassification.Engine;
using MusicClassification.Sizing;

namespace MusicClassification;

/// <summary>
/// Classifies songs through a bounded TPL Dataflow pipeline (decode → features → classify). One instance is meant to
/// be shared by every caller in a process: it is thread-safe, serves concurrent batches fairly, and gives every
/// submitted song exactly one <see cref="SongResult"/>, success or failure, whatever the song contains.
/// </summary>
/// <example>
/// <code>
/// await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
/// await foreach (SongResult result in pipeline.ClassifyAsync(songs, cancellationToken: ct))
/// {
///     Console.WriteLine($"{result.Id}: {result.Status}");
/// }
/// </code>
/// </example>
public sealed partial class MusicClassificationPipeline : IAsyncDisposable
{
    private readonly PipelineOptions _options;
    private readonly PipelineComponents _components;
    private readonly PipelineBlocks _blocks;
    private readonly PipelineBlocks _interactiveBlocks;
    private readonly FairDispatcher _dispatcher;
    private readonly FairDispatcher _interactiveDispatcher;
    private readonly ResultMapper _mapper;
    private readonly CancellationTokenSource _shutdown = new();
    private int _disposed;

    internal MusicClassificationPipeline(PipelineOptions options, PipelineSizing sizing, PipelineComponents components)
    {
        _options = options;
        _components = components;
        Sizing = sizing;
        ILogger logger = components.LoggerFactory.CreateLogger<MusicClassificationPipeline>();
        Memory = new MemoryBudget(sizing.MemoryBudgetBytes, sizing.MaxSongsInFlight);
        Clock = new WorkClock(components.Time, sizing.Cpus);
        Gate = new PriorityGate(sizing.Cpus, components.Time);
        PriorityGate gate = Gate;
        var runner = new StageRunner(components.Time, Clock, logger);

        // Interactive songs have a mesh of their own, so none ever queues behind a batch song that stepped aside in a stage.
        _blocks = new PipelineBlocks(options, sizing, components, Clock, runner);
        _interactiveBlocks = new PipelineBlocks(options, sizing, components, Clock, runner);
        _dispatcher = new FairDispatcher(_blocks.Head, Memory, gate, sizing, SongPriority.Batch);
        _interactiveDispatcher = new FairDispatcher(_interactiveBlocks.Head, Memory, gate, sizing, SongPriority.Interactive);
        _mapper = new ResultMapper(options.RoundResults);
        _dispatcher.Start();
        _interactiveDispatcher.Start();
        Log.PipelineCreated(
            logger, sizing.MaxDegreeOfParallelism, sizing.ParallelismSource, sizing.Cpus, sizing.CpuSource,
            sizing.MemoryBudgetBytes >> 20, sizing.BytesPerSong >> 20, options.BoundedCapacity, options.SongTimeout);
        _ = WarnIfFfmpegMissingAsync(logger);
    }

    /// <summary>
    /// Gets a copy of the options the pipeline was created with (changing it has no effect on the pipeline), with the
    /// values the options left unset filled in as <see cref="Sizing"/> derived them.
    /// </summary>
    public PipelineOptions Options => Clone(_options);

    /// <summary>Gets what the pipeline was sized by (the process's CPU and memory) and to (parallelism, memory budget, pool), with each value's source.</summary>
    public PipelineSizing Sizing { get; }

    /// <summary>Gets what the pipeline holds right now: songs working, songs waiting for memory, memory reserved, songs someone waits for and batch songs stepping aside for them.</summary>
    public PipelineLoad Load => new(Clock.Working, Memory.Waiting, Memory.Reserved, Gate.Interactive, Gate.Paused);

    private MemoryBudget Memory { get; }

    private WorkClock Clock { get; }

    private PriorityGate Gate { get; }

    /// <summary>Creates a pipeline after validating <paramref name="options"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to the object have no effect.</param>
    /// <param name="loggerFactory">Where the pipeline logs; none by default.</param>
    /// <param name="timeProvider">The clock for timeouts and timings; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>A running pipeline; dispose it to stop it.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; the message lists every invalid option.</exception>
    public static MusicClassificationPipeline Create(PipelineOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        Create(options, [], loggerFactory, timeProvider);

    /// <summary>Creates a pipeline that also runs <paramref name="classifiers"/> on every song, after validating <paramref name="options"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to the object have no effect.</param>
    /// <param name="classifiers">
    /// Backends run after the built-in ones, in this order (such as <c>MusiCnnClassifier</c> from the
    /// <c>MusicClassification.Pipeline.MusiCnn</c> package). The caller keeps ownership: dispose them after the pipeline.
    /// </param>
    /// <param name="loggerFactory">Where the pipeline logs; none by default.</param>
    /// <param name="timeProvider">The clock for timeouts and timings; <see cref="TimeProvider.System"/> by default.</param>
    /// <returns>A running pipeline; dispose it to stop it.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range; the message lists every invalid option.</exception>
    public static MusicClassificationPipeline Create(
        PipelineOptions options,
        IEnumerable<Classification.ISongClassifier> classifiers,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(classifiers);
        (PipelineOptions frozen, PipelineSizing sizing) = Sized(options, SizingRules.CurrentMachine());
        return new MusicClassificationPipeline(frozen, sizing, PipelineComponents.Default(frozen, classifiers, loggerFactory, timeProvider));
    }

    /// <summary>Validates a copy of <paramref name="options"/> and fills what it leaves unset from <paramref name="machine"/>.</summary>
    internal static (PipelineOptions Options, PipelineSizing Sizing) Sized(PipelineOptions options, MachineView machine)
    {
        PipelineOptions frozen = Validated(options);
        PipelineSizing sizing = SizingRules.Derive(frozen, machine);
        frozen.MaxDegreeOfParallelism = sizing.MaxDegreeOfParallelism;
        frozen.BufferPoolLimitMegabytes = sizing.BufferPoolLimitMegabytes;
        return (frozen, sizing);
    }

    /// <summary>
    /// Classifies one song someone is waiting for (<see cref="SongPriority.Interactive"/>). Never throws for a bad song:
    /// failures, including cancellation, come back as a failed result.
    /// </summary>
    /// <param name="song">The song.</param>
    /// <param name="cancellationToken">Cancels the song; it then completes with <c>cancelled</c>.</param>
    /// <returns>The song's result.</returns>
    /// <exception cref="ObjectDisposedException">The pipeline has been disposed.</exception>
    public Task<SongResult> ClassifyAsync(SongInput song, CancellationToken cancellationToken = default) =>
        ClassifyAsync(song, SongPriority.Interactive, cancellationToken);

    /// <summary>
    /// Classifies one song at the given priority: <see cref="SongPriority.Batch"/> for one song of many that arrive one at
    /// a time (a queue's worker), so songs someone is waiting for go first. Never throws for a bad song.
    /// </summary>
    /// <param name="song">The song.</param>
    /// <param name="priority">Whether someone waits for this song.</param>
    /// <param name="cancellationToken">Cancels the song; it then completes with <c>cancelled</c>.</param>
    /// <returns>The song's result.</returns>
    /// <exception cref="ObjectDisposedException">The pipeline has been disposed.</exception>
    public async Task<SongResult> ClassifyAsync(SongInput song, SongPriority priority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(song);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await foreach (SongResult result in RunBatchAsync(ToAsyncEnumerable([song]), progress: null, priority, cancellationToken, default).ConfigureAwait(false))
        {
            return result;
        }

        throw new InvalidOperationException("The pipeline ended a single-song call without a result.");
    }

    /// <summary>Gets the models this pipeline runs on every song, from their manifests.</summary>
    public IReadOnlyList<Classification.ModelDescription> Models => [.. _components.Classifiers.SelectMany(c => c.Models)];

    /// <summary>Reports which decoders this pipeline can use; FFmpeg is probed once per configured path and the answer cached.</summary>
    /// <param name="cancellationToken">Stops waiting for the probe.</param>
    /// <returns>The decoders' availability.</returns>
    public async Task<DecoderStatus> GetDecoderStatusAsync(CancellationToken cancellationToken = default)
    {
        FfmpegInfo ffmpeg = await FfmpegLocator.LocateAsync(_options.Decoding.FfmpegPath).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DecoderStatus
        {
            FfmpegAvailable = ffmpeg.IsAvailable,
            FfmpegPath = ffmpeg.Path,
            FfmpegVersion = ffmpeg.Version,
            FfmpegBuild = ffmpeg.IsAvailable ? (ffmpeg.IsLean ? "lean" : "full") : null,
            Problem = ffmpeg.Problem,
        };
    }

    /// <summary>
    /// Stops the pipeline: songs still queued or running finish as <c>cancelled</c> and are delivered to their callers,
    /// then the blocks complete. Safe to call more than once.
    /// </summary>
    /// <returns>A task that completes when every block has finished.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_dispatcher.ActiveLanes().Concat(_interactiveDispatcher.ActiveLanes()).Select(lane => lane.Drained)).ConfigureAwait(false);
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
        await _interactiveDispatcher.DisposeAsync().ConfigureAwait(false);
        _blocks.Complete();
        _interactiveBlocks.Complete();
        await Task.WhenAll(_blocks.Completion, _interactiveBlocks.Completion).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private async Task WarnIfFfmpegMissingAsync(ILogger logger)
    {
        FfmpegInfo ffmpeg = await FfmpegLocator.LocateAsync(_options.Decoding.FfmpegPath).ConfigureAwait(false);
        if (ffmpeg.IsAvailable)
        {
            Log.FfmpegFound(logger, ffmpeg.Path!, ffmpeg.Version ?? "unknown");
        }
        else
        {
            Log.FfmpegMissing(logger, ffmpeg.Problem ?? "unknown");
        }
    }

    private static PipelineOptions Validated(PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PipelineOptions copy = Clone(options);
        PipelineOptionsValidator.ThrowIfInvalid(copy);
        return copy;
    }

    private static PipelineOptions Clone(PipelineOptions options) => options.Copy();
}
