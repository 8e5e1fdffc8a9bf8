using Microsoft.Extensions.Time.Testing;
using MusicClassification.Decoding;
using MusicClassification.Engine;
using MusicClassification.Scheduling;
using MusicClassification.Sizing;

namespace MusicClassification.Tests.Engine;

/// <summary>
/// Songs someone is waiting for go first on a box too small for everyone: batch songs step aside (their clocks stopped,
/// for at most five seconds in all), memory is kept for one interactive song, and through the pipeline a batch song's
/// work stands still while a single song is served.
/// </summary>
[TestClass]
public sealed class PriorityTests
{
    [TestMethod]
    public async Task On_half_a_core_a_batch_song_steps_aside_until_the_interactive_song_is_delivered()
    {
        var gate = new PriorityGate(0.5, new FakeTimeProvider());
        gate.BatchEntered();
        Assert.IsFalse(gate.Crowded);
        Assert.IsNull(gate.TryPause(), "A batch song alone stepped aside.");

        gate.InteractiveStarted();
        Assert.IsTrue(gate.Crowded);
        LinkedListNode<TaskCompletionSource>? pause = gate.TryPause();
        Assert.IsNotNull(pause);
        Assert.IsFalse(gate.Crowded, "The song that stepped aside still counted as running.");
        Assert.IsFalse(pause.Value.Task.IsCompleted);

        gate.InteractiveEnded();
        await pause.Value.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, gate.Paused);

        // Running again: the next interactive song crowds the box once more.
        gate.InteractiveStarted();
        Assert.IsTrue(gate.Crowded);
    }

    [TestMethod]
    public void On_two_CPUs_only_as_many_batch_songs_step_aside_as_interactive_songs_need()
    {
        var gate = new PriorityGate(2, new FakeTimeProvider());
        gate.BatchEntered();
        gate.BatchEntered();
        gate.InteractiveStarted();

        Assert.IsNotNull(gate.TryPause());
        Assert.IsNull(gate.TryPause(), "Both batch songs stepped aside for one interactive song on two CPUs.");

        gate.InteractiveStarted();
        Assert.IsNotNull(gate.TryPause());
        Assert.AreEqual(2, gate.Paused);

        var fourCores = new PriorityGate(4, new FakeTimeProvider());
        fourCores.BatchEntered();
        fourCores.BatchEntered();
        fourCores.InteractiveStarted();
        Assert.IsFalse(fourCores.Crowded, "A box with CPUs to spare made batch songs wait.");
    }

    [TestMethod]
    public async Task A_song_that_steps_aside_is_not_charged_for_it_and_waits_at_most_five_seconds()
    {
        var time = new FakeTimeProvider();
        var gate = new PriorityGate(0.5, time);
        var clock = new WorkClock(time, cpus: 0.5);
        using var lane = new BatchLane(10, new ResultMapper(round: true), default, default, default);
        using var work = new SongWork(SongFactory.Good("batch"), 0, lane, time.GetTimestamp());
        work.Start(clock, TimeSpan.FromSeconds(1));
        work.MarkDispatched(gate);
        Assert.IsNotNull(work.Turn);

        using (work.Working())
        {
            SongTurn.Current = work.Turn;
            gate.InteractiveStarted();
            ValueTask stepAside = SongTurn.YieldAsync(work.Token);
            Assert.IsFalse(stepAside.IsCompleted);
            Assert.AreEqual(0, clock.Working, "A song waiting for its turn counted as working.");

            time.Advance(TimeSpan.FromSeconds(4.9));
            Assert.IsFalse(stepAside.IsCompleted);
            Assert.IsFalse(work.Token.IsCancellationRequested, "Waiting for an interactive song was charged to the song's deadline.");

            // The interactive song is still there, but the batch song's allowance is spent: it goes on beside it.
            time.Advance(TimeSpan.FromSeconds(0.2));
            await stepAside.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.IsTrue(work.Turn.PausedFor >= PriorityGate.MaxPause && work.Turn.PausedFor <= TimeSpan.FromSeconds(5.1), work.Turn.PausedFor.ToString());
            Assert.IsTrue(SongTurn.YieldAsync(work.Token).AsTask().IsCompleted, "A song past its allowance stepped aside again.");
            Assert.AreEqual(1, clock.Working);

            // Its own work is charged as before: 1 s of CPU at half a core is 2 s.
            time.Advance(TimeSpan.FromSeconds(1.9));
            Assert.IsFalse(work.Token.IsCancellationRequested);
            time.Advance(TimeSpan.FromSeconds(0.2));
            Assert.IsTrue(work.Token.IsCancellationRequested);
            SongTurn.Current = null;
        }
    }

    [TestMethod]
    public async Task Batch_songs_leave_memory_for_one_interactive_song_which_may_pass_them()
    {
        var budget = new MemoryBudget(100, maxSongs: 3);
        var keep = new MemoryBudget.Headroom(40, 1);
        using MemoryBudget.Reservation first = await budget.ReserveAsync(40, keep, CancellationToken.None);

        ValueTask<MemoryBudget.Reservation> second = budget.ReserveAsync(40, keep, CancellationToken.None);
        Assert.IsFalse(second.IsCompleted, "A batch song took the room kept for an interactive one.");

        ValueTask<MemoryBudget.Reservation> interactive = budget.ReserveAsync(40, CancellationToken.None);
        Assert.IsTrue(interactive.IsCompletedSuccessfully, "The interactive song waited behind a batch song.");
        (await interactive).Dispose();
        Assert.IsFalse(second.IsCompleted);

        first.Dispose();
        using MemoryBudget.Reservation granted = await second.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(40, budget.Reserved);

        // A budget of one song keeps nothing back: the batch song would otherwise never start.
        var small = new MemoryBudget(50, maxSongs: 1);
        ValueTask<MemoryBudget.Reservation> only = small.ReserveAsync(40, new MemoryBudget.Headroom(40, 1), CancellationToken.None);
        Assert.IsFalse(only.IsCompleted, "The caller decides the headroom; one song's budget with a song's headroom cannot fit.");
    }

    [TestMethod]
    public async Task Through_the_pipeline_a_batch_song_stands_still_while_a_single_song_is_served()
    {
        var halfCore = new MachineView(new ContainerLimits(0.5, "test", 512L << 20, "test"), 1, 24L << 30);
        var decoder = new TurnTakingDecoder();
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(decoder: decoder, machine: halfCore);

        Task<List<SongResult>> batch = TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("batch-0")]));
        await decoder.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Task<SongResult> singleTask = pipeline.ClassifyAsync(SongFactory.Good("single"));
        await decoder.SingleStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        PipelineLoad during = await LoadWhenAsync(pipeline, load => load.SongsSteppingAside == 1);
        Assert.AreEqual(1, during.InteractiveSongs);
        decoder.ReleaseSingle.TrySetResult();

        SongResult single = await singleTask.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.IsTrue(single.Succeeded, single.Error?.Message);
        Assert.IsFalse(batch.IsCompleted);
        Assert.AreEqual(0, decoder.StepsWhileSingleWorked, "The batch song worked while the single song was served.");
        Assert.IsGreaterThan(0, decoder.BatchSteps);
        PipelineLoad after = await LoadWhenAsync(pipeline, load => load.SongsSteppingAside == 0);
        Assert.AreEqual(0, after.InteractiveSongs);

        decoder.ReleaseBatch.TrySetResult();
        List<SongResult> results = await batch.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.IsTrue(results.Single().Succeeded, results.Single().Error?.Message);
    }

    [TestMethod]
    public async Task A_classifier_that_yields_between_steps_lets_a_single_song_go_first()
    {
        var halfCore = new MachineView(new ContainerLimits(0.5, "test", 512L << 20, "test"), 1, 24L << 30);
        var classifier = new StepwiseClassifier();
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(classifiers: [classifier], machine: halfCore);

        Task<List<SongResult>> batch = TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("batch-0")]));
        await classifier.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        SongResult single = await pipeline.ClassifyAsync(SongFactory.Good("single")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.IsTrue(single.Succeeded, single.Error?.Message);
        Assert.IsFalse(batch.IsCompleted);
        Assert.AreEqual(0, classifier.StepsWhileSingleWorked, "The batch song's classifier went on while the single song was classified.");

        classifier.ReleaseBatch.TrySetResult();
        Assert.IsTrue((await batch.WaitAsync(TimeSpan.FromSeconds(60))).Single().Succeeded);
    }

    /// <summary>Waits (bounded) until the pipeline's load meets <paramref name="condition"/>: a batch song reaches its next turn point within milliseconds.</summary>
    private static async Task<PipelineLoad> LoadWhenAsync(MusicClassificationPipeline pipeline, Func<PipelineLoad, bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(pipeline.Load))
        {
            await Task.Delay(5, limit.Token);
        }

        return pipeline.Load;
    }

    /// <summary>
    /// Batch songs work in small steps with a turn point before each (as the real decoder's reading loop does) until
    /// released; the single song works for a while, and any batch step that passes its turn point meanwhile is counted.
    /// </summary>
    private sealed class TurnTakingDecoder : IAudioDecoder
    {
        private readonly SongDecoder _real = new(new DecodingOptions(), Dsp.SampleBuffers.Shared);
        private volatile bool _singleWorking;
        private int _steps;
        private int _violations;

        public TaskCompletionSource BatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SingleStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseSingle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int BatchSteps => Volatile.Read(ref _steps);

        public int StepsWhileSingleWorked => Volatile.Read(ref _violations);

        public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
        {
            if (song.Id.StartsWith("batch", StringComparison.Ordinal))
            {
                BatchStarted.TrySetResult();
                while (!ReleaseBatch.Task.IsCompleted)
                {
                    // The single song was already counted when it started working: this turn point must hold the step.
                    bool singleBefore = _singleWorking;
                    await SongTurn.YieldAsync(cancellationToken);
                    Interlocked.Increment(ref _steps);
                    if (singleBefore && _singleWorking)
                    {
                        Interlocked.Increment(ref _violations);
                    }

                    await Task.Delay(2, cancellationToken);
                }
            }
            else
            {
                _singleWorking = true;
                SingleStarted.TrySetResult();
                await ReleaseSingle.Task.WaitAsync(cancellationToken);
                await Task.Delay(100, cancellationToken);
                _singleWorking = false;
            }

            return await _real.DecodeAsync(song, cancellationToken);
        }
    }

    /// <summary>A classifier of many small steps, each after <see cref="SongAnalysis.YieldAsync"/>; the single song's classification takes a while.</summary>
    private sealed class StepwiseClassifier : MusicClassification.Classification.ISongClassifier
    {
        private volatile bool _singleWorking;
        private int _violations;

        public TaskCompletionSource BatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int StepsWhileSingleWorked => Volatile.Read(ref _violations);

        public IReadOnlyList<MusicClassification.Classification.ModelDescription> Models => [];

        public async ValueTask<IReadOnlyList<MusicClassification.Classification.ClassifierOutput>> ClassifyAsync(
            MusicClassification.Classification.SongAnalysis song, CancellationToken cancellationToken)
        {
            if (song.Id.StartsWith("batch", StringComparison.Ordinal))
            {
                BatchStarted.TrySetResult();
                while (!ReleaseBatch.Task.IsCompleted)
                {
                    bool singleBefore = _singleWorking;
                    await song.YieldAsync(cancellationToken);
                    if (singleBefore && _singleWorking)
                    {
                        Interlocked.Increment(ref _violations);
                    }

                    await Task.Delay(2, cancellationToken);
                }
            }
            else
            {
                _singleWorking = true;
                await Task.Delay(300, cancellationToken);
                _singleWorking = false;
            }

            return [];
        }
    }
}
