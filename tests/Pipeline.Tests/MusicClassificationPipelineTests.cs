using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests;

[TestClass]
public sealed class MusicClassificationPipelineTests
{
    [TestMethod]
    public async Task A_sine_gets_its_measured_descriptors()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        byte[] wav = WavBytes.Encode(TestSignals.Interleave(TestSignals.Sine(440, 2, 44_100), TestSignals.Sine(440, 2, 44_100)), 44_100, 2);

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("sine", wav));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.AreEqual(SongStatus.Succeeded, result.Status);
        Assert.AreEqual("sine", result.Id);
        Assert.AreEqual("wav/pcm16", result.Audio.Format);
        Assert.AreEqual(44_100, result.Audio.SampleRate);
        Assert.AreEqual(2, result.Audio.Channels);
        Assert.AreEqual(22_050, result.Audio.AnalysisSampleRate);
        Assert.AreEqual(2.0, result.Audio.DurationSeconds!.Value, 1e-6);
        Assert.AreEqual(2.0, result.Audio.AnalysedSeconds, 1e-6);
        Assert.AreEqual(20 * Math.Log10(0.5 / Math.Sqrt(2)), result.Audio.RmsDbfs, 0.02);
        Assert.AreEqual(20 * Math.Log10(0.5), result.Audio.PeakDbfs, 0.05);
    }

    [TestMethod]
    public async Task Loudness_is_measured_on_all_channels_at_the_songs_own_rate()
    {
        // EBU Tech 3341 case 1: a stereo 1 kHz sine at −23 dBFS is −23 LUFS (the mono mean would read 3 dB lower).
        float[] sine = TestSignals.Sine(1000, 20, 48_000, amplitude: Math.Pow(10, -23 / 20.0));
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("r128", WavBytes.Encode(TestSignals.Interleave(sine, sine), 48_000, 2, WavEncoding.Float32)));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.AreEqual(-23.0, result.Audio.LoudnessLufs!.Value, 0.1);
        Assert.AreEqual(-23.0, result.Audio.TruePeakDbtp!.Value, 0.1);
        Assert.AreEqual(0, result.Audio.LoudnessRangeLu!.Value, 0.5);
    }

    [TestMethod]
    public async Task Results_carry_the_gtzan_vector_of_the_middle_30_seconds()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        // 20 s at 300 Hz, 30 s at 1 kHz, 20 s at 300 Hz: the middle 30 s are all 1 kHz.
        float[] song = [.. TestSignals.Sine(300, 20, 44_100), .. TestSignals.Sine(1000, 30, 44_100), .. TestSignals.Sine(300, 20, 44_100)];

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("three-parts", WavBytes.Encode(song, 44_100)));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.IsNotNull(result.GtzanFeatures);
        CollectionAssert.AreEqual(MusicClassification.Features.Gtzan.GtzanColumns.All.ToList(), result.GtzanFeatures.Keys.ToList());
        Assert.AreEqual(1000, result.GtzanFeatures["spectral_centroid_mean"], 20);
        Assert.IsNotNull(result.Genres);
        Assert.HasCount(10, result.Genres);
        Assert.AreEqual(1.0, result.Genres.Sum(g => g.Probability), 0.01);
        Assert.AreEqual(result.Genres[0].Label, result.Genre);
        CollectionAssert.AreEqual(new[] { "gtzan-genre-mlp-krr@2.0.0" }, result.Models!.ToArray());
    }

    [TestMethod]
    public async Task Silence_is_reported_at_the_level_floor()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("quiet", WavBytes.Encode(TestSignals.Silence(1, 22_050), 22_050)));

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(-120, result.Audio.RmsDbfs);
        Assert.AreEqual(-120, result.Audio.PeakDbfs);
    }

    [TestMethod]
    public async Task Every_song_in_a_mixed_batch_gets_exactly_one_result_with_the_right_code()
    {
        var decoder = new ScriptedDecoder();
        // Long enough that a healthy song never meets it on a loaded test machine; the hanging ones still do.
        await using var pipeline = TestPipelines.Create(new PipelineOptions { SongTimeout = TimeSpan.FromMilliseconds(1500) }, decoder);
        var songs = new List<SongInput>();
        for (int i = 0; i < 8; i++)
        {
            songs.Add(SongFactory.Good($"good-{i}"));
            songs.Add(SongFactory.Corrupt($"corrupt-{i}"));
            songs.Add(SongFactory.Garbage($"garbage-{i}"));
            songs.Add(SongFactory.Good($"throw-{i}"));
            songs.Add(SongFactory.Good($"slow-{i}"));
        }

        songs.Add(SongFactory.Good("hang-0"));
        songs.Add(SongFactory.Good("deaf-0"));

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));

        Assert.HasCount(songs.Count, results);
        CollectionAssert.AreEquivalent(songs.Select(s => s.Id).ToList(), results.Select(r => r.Id).ToList());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, songs.Count).ToList(), results.Select(r => r.Index).ToList());
        foreach (SongResult result in results)
        {
            Assert.AreEqual(result.Succeeded, result.Audio is not null);
            Assert.AreEqual(!result.Succeeded, result.Error is not null);
            SongErrorCode? expected = result.Id.Split('-')[0] switch
            {
                "good" or "slow" => null,
                "corrupt" => SongErrorCode.CorruptAudio,
                "garbage" => SongErrorCode.UnsupportedFormat,
                "throw" => SongErrorCode.Internal,
                _ => SongErrorCode.Timeout,
            };
            Assert.AreEqual(expected, result.Error?.Code, $"{result.Id}: {result.Error?.Message}");
        }
    }

    [TestMethod]
    public async Task Durations_are_given_to_the_millisecond()
    {
        // 2 s and 7 samples: 2.000158… s as measured, 2.0 as reported (the probe saw 30.001333333333335 for a FLAC).
        byte[] wav = WavBytes.Encode([.. TestSignals.Sine(440, 2, 44_100), .. new float[7]], 44_100, 1);
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());

        SongResult result = await pipeline.ClassifyAsync(SongInput.FromBytes("odd-length", wav));

        Assert.IsTrue(result.Succeeded, result.Error?.Message);
        Assert.AreEqual(2.0, result.Audio!.DurationSeconds);
        Assert.AreEqual(2.0, result.Audio.AnalysedSeconds);
        Assert.AreEqual(0.0, result.Audio.WindowStartSeconds);
    }

    [TestMethod]
    public async Task A_song_that_hangs_times_out_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var decoder = new ScriptedDecoder();
        await using var pipeline = TestPipelines.Create(new PipelineOptions(), decoder, time: time);

        Task<SongResult> pending = pipeline.ClassifyAsync(SongFactory.Good("hang"));
        await decoder.FirstHangStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsFalse(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.IsFalse(pending.IsCompleted, "The song timed out before its 30 s.");
        time.Advance(TimeSpan.FromSeconds(1.5));
        SongResult result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(SongErrorCode.Timeout, result.Error?.Code);
        StringAssert.Contains(result.Error!.Message, "decode");
    }

    [TestMethod]
    public async Task A_stage_that_ignores_cancellation_still_times_out_and_frees_its_worker()
    {
        var decoder = new ScriptedDecoder();
        await using var pipeline = TestPipelines.Create(
            new PipelineOptions { SongTimeout = TimeSpan.FromMilliseconds(200), MaxDegreeOfParallelism = 1 }, decoder);

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync([SongFactory.Good("deaf"), SongFactory.Good("good")]));

        Assert.AreEqual(SongErrorCode.Timeout, results.Single(r => r.Id == "deaf").Error?.Code);
        Assert.IsTrue(results.Single(r => r.Id == "good").Succeeded);
    }

    [TestMethod]
    public async Task Cancelling_mid_batch_ends_the_stream_normally_with_one_result_per_song_taken()
    {
        var decoder = new ScriptedDecoder { SlowDelay = TimeSpan.FromMilliseconds(15) };
        await using var pipeline = TestPipelines.Create(new PipelineOptions { MaxDegreeOfParallelism = 2 }, decoder);
        using var cancellation = new CancellationTokenSource();
        int taken = 0;
        IEnumerable<SongInput> Songs()
        {
            for (int i = 0; i < 500; i++)
            {
                Interlocked.Increment(ref taken);
                yield return SongFactory.Good($"slow-{i}");
            }
        }

        var results = new List<SongResult>();
        await foreach (SongResult result in pipeline.ClassifyAsync(Songs(), cancellationToken: cancellation.Token))
        {
            results.Add(result);
            if (results.Count == 10)
            {
                await cancellation.CancelAsync();
            }
        }

        Assert.IsLessThan(500, taken, "The pipeline kept taking songs after cancellation.");
        Assert.HasCount(taken, results);
        Assert.AreEqual(taken, results.Select(r => r.Index).Distinct().Count());
        Assert.IsGreaterThanOrEqualTo(10, results.Count(r => r.Succeeded));
        Assert.IsTrue(results.Where(r => !r.Succeeded).All(r => r.Error!.Code == SongErrorCode.Cancelled));
        Assert.IsTrue(results.Any(r => r.Error?.Code == SongErrorCode.Cancelled));
    }

    [TestMethod]
    public async Task A_song_sequence_that_throws_on_the_callers_cancellation_ends_the_batch_normally()
    {
        await using var pipeline = TestPipelines.Create(decoder: new ScriptedDecoder());
        using var cancellation = new CancellationTokenSource();

        // The sequence sees the caller's token first (its callback was registered after the pipeline's own, so it runs
        // first) and throws while the pipeline's linked token is not yet cancelled: still the caller's cancellation.
        async IAsyncEnumerable<SongInput> Songs()
        {
            for (int i = 0; i < 3; i++)
            {
                yield return SongFactory.Good($"song-{i}");
            }

            var cancelled = new TaskCompletionSource();
            await using CancellationTokenRegistration registration = cancellation.Token.Register(() => cancelled.TrySetCanceled(cancellation.Token));
            await cancelled.Task;
            yield return SongFactory.Good("never");
        }

        var results = new List<SongResult>();
        await foreach (SongResult result in pipeline.ClassifyAsync(Songs(), cancellationToken: cancellation.Token))
        {
            results.Add(result);
            if (results.Count == 3)
            {
                cancellation.Cancel();
            }
        }

        Assert.HasCount(3, results);
    }

    [TestMethod]
    public async Task A_cancelled_single_song_comes_back_as_cancelled()
    {
        var decoder = new ScriptedDecoder();
        await using var pipeline = TestPipelines.Create(decoder: decoder);
        using var cancellation = new CancellationTokenSource();

        Task<SongResult> pending = pipeline.ClassifyAsync(SongFactory.Good("hang"), cancellation.Token);
        await decoder.FirstHangStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        SongResult result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(SongErrorCode.Cancelled, result.Error?.Code);
    }

    [TestMethod]
    public async Task Admission_is_bounded_and_stages_never_exceed_their_parallelism()
    {
        var decoder = new ScriptedDecoder { UseGate = true };
        var options = new PipelineOptions { MaxDegreeOfParallelism = 3, BoundedCapacity = 10 };
        await using var pipeline = TestPipelines.Create(options, decoder);
        int taken = 0;
        IEnumerable<SongInput> Songs()
        {
            for (int i = 0; i < 200; i++)
            {
                Interlocked.Increment(ref taken);
                yield return SongFactory.Good($"song-{i}");
            }
        }

        Task<List<SongResult>> all = TestPipelines.CollectAsync(pipeline.ClassifyAsync(Songs()));
        await Task.Delay(300);

        // Ten admitted songs fill the window; the eleventh is held by the enumerator while the submitter waits.
        Assert.IsLessThanOrEqualTo(options.BoundedCapacity + 1, Volatile.Read(ref taken));
        Assert.AreEqual(options.MaxDegreeOfParallelism, decoder.MaxInside);
        decoder.Gate.SetResult();
        List<SongResult> results = await all.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.HasCount(200, results);
        Assert.IsTrue(results.All(r => r.Succeeded));
        Assert.AreEqual(options.MaxDegreeOfParallelism, decoder.MaxInside);
    }

    [TestMethod]
    public async Task Same_bytes_give_same_result_at_any_parallelism()
    {
        List<SongInput> songs = SongFactory.Varied(40);
        songs.Add(SongFactory.Corrupt("corrupt"));

        async Task<Dictionary<string, (AudioDescriptors? Audio, SongError? Error)>> RunAsync(int parallelism)
        {
            await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { MaxDegreeOfParallelism = parallelism });
            List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));
            return results.ToDictionary(r => r.Id, r => (r.Audio, r.Error));
        }

        var serial = await RunAsync(1);
        var parallel = await RunAsync(4);

        Assert.HasCount(songs.Count, serial);
        foreach (SongInput song in songs)
        {
            Assert.AreEqual(serial[song.Id], parallel[song.Id], song.Id);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.Ffmpeg)]
    public async Task Every_output_of_real_length_songs_is_identical_at_parallelism_1_and_4_in_any_order()
    {
        // Three real clips and three generated 3-minute stereo songs: descriptors, loudness, key, tempo, the 57 GTZAN
        // columns and the genre probabilities, unrounded and compared exactly.
        var songs = new List<SongInput>();
        foreach (string clip in new[] { "singularity-coherence-30s", "singularity-media-threat-30s", "singularity-nebula-30s" })
        {
            songs.Add(SongInput.FromFile(clip, TestData.Clip(clip)));
        }

        for (int i = 0; i < 3; i++)
        {
            float[] left = TestSignals.Sine(110 * (i + 2), 180, 44_100, amplitude: 0.3);
            float[] right = TestSignals.WhiteNoise(180, 44_100, seed: i, amplitude: 0.1);
            songs.Add(SongInput.FromBytes($"generated-{i}", WavBytes.Encode(TestSignals.Interleave(left, right), 44_100, 2)));
        }

        async Task<Dictionary<string, SongResult>> RunAsync(int parallelism, IEnumerable<SongInput> order)
        {
            // Unrounded, so rounding cannot hide a difference in the last bits.
            await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { MaxDegreeOfParallelism = parallelism, RoundResults = false });
            return (await TestPipelines.CollectAsync(pipeline.ClassifyAsync(order))).ToDictionary(r => r.Id);
        }

        Dictionary<string, SongResult> serial = await RunAsync(1, songs);
        Dictionary<string, SongResult> parallel = await RunAsync(4, Enumerable.Reverse(songs));

        foreach (SongInput song in songs)
        {
            SongResult a = serial[song.Id];
            SongResult b = parallel[song.Id];
            Assert.IsTrue(a.Succeeded, $"{song.Id}: {a.Error}");
            Assert.AreEqual(a.Audio, b.Audio, song.Id);
            Assert.AreEqual(a.Audio.Spectral, b.Audio!.Spectral, song.Id);
            CollectionAssert.AreEqual(a.Genres!.ToList(), b.Genres!.ToList(), song.Id);
            CollectionAssert.AreEqual(a.Models!.ToList(), b.Models!.ToList(), song.Id);
            Assert.HasCount(57, a.GtzanFeatures!);
            foreach ((string column, double value) in a.GtzanFeatures!)
            {
                Assert.AreEqual(value, b.GtzanFeatures![column], 0, $"{song.Id} {column}");
            }
        }
    }

    [TestMethod]
    public async Task Results_can_come_back_in_submission_order()
    {
        var decoder = new ScriptedDecoder();
        await using var pipeline = TestPipelines.Create(new PipelineOptions { ResultOrder = ResultOrder.Submission }, decoder);
        var songs = Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? SongFactory.Good($"slow-{i}") : SongFactory.Good($"fast-{i}")).ToList();

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));

        CollectionAssert.AreEqual(Enumerable.Range(0, 60).ToList(), results.Select(r => r.Index).ToList());
    }

    [TestMethod]
    public async Task Concurrent_callers_each_get_exactly_their_own_results()
    {
        await using var pipeline = TestPipelines.Create(decoder: new ScriptedDecoder());

        var callers = Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
        {
            List<SongInput> songs = SongFactory.Varied(25, $"caller{c}");
            List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));
            return (Songs: songs, Results: results);
        })).ToList();

        foreach (var (songs, results) in await Task.WhenAll(callers))
        {
            CollectionAssert.AreEquivalent(songs.Select(s => s.Id).ToList(), results.Select(r => r.Id).ToList());
            Assert.IsTrue(results.All(r => r.Succeeded));
        }
    }

    [TestMethod]
    public async Task A_single_song_is_not_stuck_behind_another_callers_large_batch()
    {
        var decoder = new ScriptedDecoder { SlowDelay = TimeSpan.FromMilliseconds(10) };
        await using var pipeline = TestPipelines.Create(new PipelineOptions { MaxDegreeOfParallelism = 2 }, decoder);
        int batchDone = 0;
        var batch = Task.Run(async () =>
        {
            var songs = Enumerable.Range(0, 300).Select(i => SongFactory.Good($"slow-{i}"));
            await foreach (SongResult _ in pipeline.ClassifyAsync(songs))
            {
                Interlocked.Increment(ref batchDone);
            }
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref batchDone) < 5 && !batch.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }

        Assert.IsGreaterThanOrEqualTo(5, Volatile.Read(ref batchDone), "the batch delivered its first songs within 60 s");

        int before = Volatile.Read(ref batchDone);
        SongResult single = await pipeline.ClassifyAsync(SongFactory.Good("single"));
        int overtaken = Volatile.Read(ref batchDone) - before;
        await batch;

        Assert.IsTrue(single.Succeeded);
        Assert.IsLessThan(20, overtaken, $"{overtaken} batch songs finished while the single song waited; FIFO would be ~100.");
    }

    [TestMethod]
    public async Task A_reader_that_stops_early_leaves_the_pipeline_serving_others()
    {
        var decoder = new ScriptedDecoder();
        await using var pipeline = TestPipelines.Create(decoder: decoder);
        var songs = Enumerable.Range(0, 100).Select(i => SongFactory.Good($"slow-{i}"));

        await foreach (SongResult _ in pipeline.ClassifyAsync(songs))
        {
            break;
        }

        SongResult after = await pipeline.ClassifyAsync(SongFactory.Good("after")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.IsTrue(after.Succeeded);
    }

    [TestMethod]
    public async Task A_failing_song_source_surfaces_its_exception_after_the_songs_it_gave()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        IEnumerable<SongInput> Songs()
        {
            yield return SongFactory.Good("a");
            yield return SongFactory.Good("b");
            throw new IOException("source broke");
        }

        var results = new List<SongResult>();
        var thrown = await Assert.ThrowsExactlyAsync<IOException>(async () =>
        {
            await foreach (SongResult result in pipeline.ClassifyAsync(Songs()))
            {
                results.Add(result);
            }
        });

        Assert.AreEqual("source broke", thrown.Message);
        Assert.HasCount(2, results);
    }

    [TestMethod]
    public async Task Disposing_mid_batch_delivers_cancelled_results_and_completes()
    {
        var decoder = new ScriptedDecoder();
        var pipeline = TestPipelines.Create(new PipelineOptions { MaxDegreeOfParallelism = 2 }, decoder);
        var songs = Enumerable.Range(0, 50).Select(i => SongFactory.Good($"hang-{i}")).ToList();
        Task<List<SongResult>> all = TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));
        await decoder.FirstHangStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await pipeline.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        List<SongResult> results = await all.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsNotEmpty(results);
        Assert.IsTrue(results.All(r => r.Error?.Code == SongErrorCode.Cancelled));
        Assert.ThrowsExactly<ObjectDisposedException>(() => pipeline.ClassifyAsync([SongFactory.Good("late")]));
    }

    [TestMethod]
    public void Invalid_options_are_rejected_at_creation_listing_every_problem()
    {
        var options = new PipelineOptions
        {
            MaxDegreeOfParallelism = 0,
            BoundedCapacity = -1,
            SongTimeout = TimeSpan.Zero,
            Decoding = new DecodingOptions { AnalysisSampleRate = 10 },
        };

        var failure = Assert.ThrowsExactly<OptionsValidationException>(() => MusicClassificationPipeline.Create(options));

        StringAssert.Contains(failure.Message, nameof(PipelineOptions.MaxDegreeOfParallelism));
        StringAssert.Contains(failure.Message, nameof(PipelineOptions.BoundedCapacity));
        StringAssert.Contains(failure.Message, nameof(PipelineOptions.SongTimeout));
        StringAssert.Contains(failure.Message, nameof(DecodingOptions.AnalysisSampleRate));
    }

    [TestMethod]
    public async Task Options_are_copied_so_later_changes_have_no_effect()
    {
        var options = new PipelineOptions { MaxDegreeOfParallelism = 2 };
        await using var pipeline = MusicClassificationPipeline.Create(options);

        options.MaxDegreeOfParallelism = 0;

        Assert.AreEqual(2, pipeline.Options.MaxDegreeOfParallelism);
    }

    [TestMethod]
    public async Task Progress_counts_every_result()
    {
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions());
        var reports = new List<BatchProgress>();
        var progress = new SynchronousProgress(reports.Add);
        List<SongInput> songs = [SongFactory.Good("a"), SongFactory.Corrupt("b"), SongFactory.Good("c")];

        await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs, progress));

        Assert.HasCount(3, reports);
        Assert.AreEqual(3, reports[^1].Completed);
        Assert.AreEqual(1, reports[^1].Failed);
    }

    private sealed class SynchronousProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
