using Microsoft.Extensions.Time.Testing;
using MusicClassification.Decoding;
using MusicClassification.Engine;
using MusicClassification.Sizing;

namespace MusicClassification.Tests.Engine;

/// <summary>
/// A song's deadline measures its own work (not its waits, not a starved CPU), and memory is admitted before work:
/// the clock and the budget alone, then through the pipeline on an injected clock.
/// </summary>
[TestClass]
public sealed class DeadlineAndMemoryTests
{
    [TestMethod]
    public void The_clock_runs_only_while_the_song_works()
    {
        var time = new FakeTimeProvider();
        var clock = new WorkClock(time, cpus: 1);
        using SongDeadline deadline = clock.Start(TimeSpan.FromSeconds(30));

        using (deadline.Working())
        {
            time.Advance(TimeSpan.FromSeconds(20));
        }

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.IsFalse(deadline.HasExpired, "Time spent waiting between stages was charged.");
        Assert.AreEqual(TimeSpan.FromSeconds(20), deadline.Used);

        using (deadline.Working())
        {
            time.Advance(TimeSpan.FromSeconds(9.9));
            Assert.IsFalse(deadline.HasExpired);
            time.Advance(TimeSpan.FromSeconds(0.2));
            Assert.IsTrue(deadline.HasExpired);
        }
    }

    [TestMethod]
    public void On_half_a_core_a_song_is_charged_half_the_time_that_passes()
    {
        var time = new FakeTimeProvider();
        var clock = new WorkClock(time, cpus: 0.5);
        using SongDeadline deadline = clock.Start(TimeSpan.FromSeconds(30));

        using (deadline.Working())
        {
            time.Advance(TimeSpan.FromSeconds(59));
            Assert.IsFalse(deadline.HasExpired, "A starved CPU was charged to the song.");
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.IsTrue(deadline.HasExpired, "A song that had its 30 s of CPU was not stopped.");
        }
    }

    [TestMethod]
    public void Songs_working_together_share_the_CPU_and_each_is_charged_its_share()
    {
        var time = new FakeTimeProvider();
        var clock = new WorkClock(time, cpus: 1);
        using SongDeadline first = clock.Start(TimeSpan.FromSeconds(10));
        using SongDeadline second = clock.Start(TimeSpan.FromSeconds(10));

        SongDeadline.Scope? one = first.Working();
        time.Advance(TimeSpan.FromSeconds(4));
        using (second.Working())
        {
            // Two songs on one CPU: 8 s of time is 4 s of work each.
            time.Advance(TimeSpan.FromSeconds(8));
            Assert.AreEqual(2, clock.Working);
        }

        Assert.IsFalse(first.HasExpired);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.IsFalse(first.HasExpired);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.IsTrue(first.HasExpired, "8 + 2 s of work against a 10 s budget.");
        Assert.AreEqual(TimeSpan.FromSeconds(4), second.Used);
        one?.Dispose();
        Assert.AreEqual(0, clock.Working);
    }

    [TestMethod]
    public async Task The_budget_admits_in_order_and_a_cancelled_waiter_lets_the_next_one_in()
    {
        var budget = new MemoryBudget(100);
        MemoryBudget.Reservation a = await budget.ReserveAsync(60, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        ValueTask<MemoryBudget.Reservation> big = budget.ReserveAsync(80, cancel.Token);
        ValueTask<MemoryBudget.Reservation> small = budget.ReserveAsync(30, CancellationToken.None);

        // 40 bytes are free, but the small one may not overtake the big one (no starvation of large songs).
        Assert.IsFalse(big.IsCompleted);
        Assert.IsFalse(small.IsCompleted);
        Assert.AreEqual(2, budget.Waiting);

        await cancel.CancelAsync();
        await Assert.ThrowsExactlyAsync<TaskCanceledException>(async () => await big);
        MemoryBudget.Reservation granted = await small.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(90, budget.Reserved);

        a.Dispose();
        a.Dispose();
        Assert.AreEqual(30, budget.Reserved, "A reservation given back twice was counted twice.");

        // Larger than the whole budget: cut to it, so the song runs alone once the others are done instead of never.
        ValueTask<MemoryBudget.Reservation> huge = budget.ReserveAsync(1000, CancellationToken.None);
        Assert.IsFalse(huge.IsCompleted);
        granted.Dispose();
        using MemoryBudget.Reservation alone = await huge.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(100, alone.Bytes);
    }

    [TestMethod]
    public async Task The_budget_lets_no_more_songs_in_than_it_may_hold()
    {
        var budget = new MemoryBudget(1000, maxSongs: 1);
        MemoryBudget.Reservation first = await budget.ReserveAsync(10, CancellationToken.None);
        ValueTask<MemoryBudget.Reservation> second = budget.ReserveAsync(10, CancellationToken.None);

        Assert.IsFalse(second.IsCompleted, "A second song got in beside the one allowed, with bytes to spare.");
        first.Dispose();
        using MemoryBudget.Reservation granted = await second.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(10, budget.Reserved);
    }

    [TestMethod]
    public async Task On_half_a_core_a_batch_has_one_song_in_flight_and_a_single_song_gets_a_place_beside_it()
    {
        var decoder = new ScriptedDecoder { SlowDelay = TimeSpan.FromMilliseconds(30) };
        var machine = new MachineView(new ContainerLimits(0.5, "test", 512L << 20, "test"), 1, 256L << 20);
        await using var pipeline = TestPipelines.Create(new PipelineOptions(), decoder, machine: machine);
        long perSong = pipeline.Sizing.BytesPerSong;
        int most = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                most = Math.Max(most, (int)(pipeline.Load.MemoryReservedBytes / perSong));
                await Task.Delay(1);
            }
        });

        List<SongResult> batch = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(Enumerable.Range(0, 8).Select(i => SongFactory.Good($"slow-{i}"))));
        int mostAlone = most;
        Task<List<SongResult>> second = TestPipelines.CollectAsync(pipeline.ClassifyAsync(Enumerable.Range(0, 8).Select(i => SongFactory.Good($"slow-b{i}"))));
        SongResult single = await pipeline.ClassifyAsync(SongFactory.Good("slow-single"));
        await second;
        await sampling.CancelAsync();
        await sampler;

        Assert.IsTrue(batch.All(r => r.Succeeded) && single.Succeeded);
        Assert.AreEqual(1, mostAlone, "A batch alone had more than one song in flight on half a core.");
        Assert.IsLessThanOrEqualTo(2, most, "More than one song per caller was in flight.");
    }

    [TestMethod]
    public async Task On_a_starved_half_core_a_healthy_song_finishes_and_a_hostile_one_is_still_stopped()
    {
        var time = new FakeTimeProvider();
        var decoder = new WallClockDecoder(time);
        var machine = new MachineView(new ContainerLimits(0.5, "test", 512L << 20, "test"), 1, 256L << 20);
        await using var pipeline = TestPipelines.Create(new PipelineOptions { SongTimeout = TimeSpan.FromSeconds(30) }, decoder, time: time, machine: machine);

        // 50 s of wall time on half a core is 25 s of the song's own work: inside its 30 s.
        Task<SongResult> healthy = pipeline.ClassifyAsync(SongFactory.Good("wall-50"));
        await decoder.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(50));
        SongResult done = await healthy.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.IsTrue(done.Succeeded, done.Error?.Message);

        // 70 s of wall time is 35 s of work: stopped at 30 s of work (60 s of wall time).
        decoder.Reset();
        Task<SongResult> hostile = pipeline.ClassifyAsync(SongFactory.Good("wall-70"));
        await decoder.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.IsFalse(hostile.IsCompleted, "Stopped before it had its 30 s of CPU.");
        time.Advance(TimeSpan.FromSeconds(2));
        SongResult stopped = await hostile.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.AreEqual(SongErrorCode.Timeout, stopped.Error?.Code);
    }

    [TestMethod]
    public async Task A_song_that_runs_out_of_memory_waits_for_the_whole_budget_and_tries_again_then_fails_with_its_own_code()
    {
        var decoder = new OutOfMemoryDecoder();
        await using var pipeline = TestPipelines.Create(new PipelineOptions { MaxDegreeOfParallelism = 2 }, decoder);

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(
            [SongFactory.Good("oom-once"), SongFactory.Good("oom-always"), SongFactory.Good("fine")]));

        Assert.IsTrue(results.Single(r => r.Id == "oom-once").Succeeded, "A song that fits alone failed.");
        Assert.IsTrue(results.Single(r => r.Id == "fine").Succeeded);
        SongError error = results.Single(r => r.Id == "oom-always").Error!;
        Assert.AreEqual(SongErrorCode.InsufficientMemory, error.Code);
        Assert.AreEqual("insufficient_memory", error.Code.ToWireName());
        StringAssert.Contains(error.Message, "more memory than this instance has");
        Assert.AreEqual(0, pipeline.Load.MemoryReservedBytes, "A reservation was not given back.");
    }

    [TestMethod]
    public async Task A_song_cancelled_while_it_waits_to_retry_after_running_out_of_memory_is_cancelled_not_short_of_memory()
    {
        var decoder = new HangOrOutOfMemoryDecoder();
        await using var pipeline = TestPipelines.Create(new PipelineOptions { MaxDegreeOfParallelism = 2 }, decoder);
        using var cancel = new CancellationTokenSource();

        Task<List<SongResult>> results = TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("hang"), SongFactory.Good("oom")], cancellationToken: cancel.Token));
        await decoder.Threw.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        await cancel.CancelAsync();
        List<SongResult> done = await results.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.AreEqual(SongErrorCode.Cancelled, done.Single(r => r.Id == "oom").Error?.Code, "A song waiting for the others to finish was blamed on memory.");
        Assert.AreEqual(SongErrorCode.Cancelled, done.Single(r => r.Id == "hang").Error?.Code);
    }

    /// <summary><c>hang</c> works until cancelled (so the other song is never alone); <c>oom</c> runs out of memory at once.</summary>
    private sealed class HangOrOutOfMemoryDecoder : IAudioDecoder
    {
        public TaskCompletionSource Threw { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
        {
            if (song.Id == "oom")
            {
                Threw.TrySetResult();
#pragma warning disable CA2201 // The runtime's own exception, thrown on purpose.
                throw new OutOfMemoryException("scripted");
#pragma warning restore CA2201
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Decodes for real after <c>wall-N</c> seconds of the injected clock (work that takes wall time, as on a starved CPU).</summary>
    private sealed class WallClockDecoder(TimeProvider time) : IAudioDecoder
    {
        private readonly SongDecoder _real = new(new DecodingOptions(), Dsp.SampleBuffers.Shared);

        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reset() => Started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
        {
            Task delay = Task.Delay(TimeSpan.FromSeconds(int.Parse(song.Id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)), time, cancellationToken);
            Started.TrySetResult();
            await delay;
            return await _real.DecodeAsync(song, cancellationToken);
        }
    }

    /// <summary>Throws <see cref="OutOfMemoryException"/> for <c>oom-once</c> (first call) and <c>oom-always</c> (every call).</summary>
    private sealed class OutOfMemoryDecoder : IAudioDecoder
    {
        private readonly SongDecoder _real = new(new DecodingOptions(), Dsp.SampleBuffers.Shared);
        private int _onceCalls;

        public async ValueTask<DecodedAudio> DecodeAsync(SongInput song, CancellationToken cancellationToken)
        {
            if (song.Id == "oom-always" || (song.Id == "oom-once" && Interlocked.Increment(ref _onceCalls) == 1))
            {
#pragma warning disable CA2201 // The runtime's own exception, thrown on purpose: the pipeline must handle it as it handles the real one.
                throw new OutOfMemoryException("scripted");
#pragma warning restore CA2201
            }

            return await _real.DecodeAsync(song, cancellationToken);
        }
    }
}
