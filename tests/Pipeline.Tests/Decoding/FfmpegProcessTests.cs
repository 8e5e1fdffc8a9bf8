using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

/// <summary>
/// FFmpeg's lifetime under the pipeline: never more processes than decode workers, and none left (running or zombie)
/// after timeouts and cancellation. Runs alone so other classes' FFmpeg children do not blur the counts.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
[DoNotParallelize]
public sealed class FfmpegProcessTests
{
    private static readonly Lazy<byte[]> LongFlac = new(() =>
        FfmpegEncoder.EncodeLavfi("anoisesrc=r=44100:a=0.3:d=600:seed=3", "flac", "-c:a", "flac", "-compression_level", "0"));

    private static PipelineOptions WholeTrack(int parallelism, TimeSpan timeout) => new()
    {
        MaxDegreeOfParallelism = parallelism,
        SongTimeout = timeout,
        Decoding = new DecodingOptions { Window = AnalysisWindow.WholeTrack },
    };

    private static async Task AssertNoFfmpegChildrenAsync()
    {
        // Reaping is synchronous with the result, but give the kernel a moment to update /proc.
        for (int attempt = 0; attempt < 50 && ChildProcesses.CountNamed("ffmpeg") > 0; attempt++)
        {
            await Task.Delay(20);
        }

        var left = ChildProcesses.List().Where(c => c.Name == "ffmpeg").ToList();
        Assert.IsEmpty(left, $"ffmpeg children left: {string.Join(", ", left)}");
    }

    [TestMethod]
    public async Task Timeouts_kill_and_reap_every_ffmpeg_process()
    {
        await using var pipeline = MusicClassificationPipeline.Create(WholeTrack(2, TimeSpan.FromMilliseconds(150)));
        var songs = Enumerable.Range(0, 6).Select(i => SongInput.FromBytes($"long-{i}", LongFlac.Value));

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));

        Assert.HasCount(6, results);
        Assert.IsTrue(results.All(r => r.Error?.Code == SongErrorCode.Timeout), string.Join("; ", results.Select(r => r.Error?.Message)));
        await AssertNoFfmpegChildrenAsync();
    }

    [TestMethod]
    public async Task Cancelling_a_batch_kills_and_reaps_every_ffmpeg_process()
    {
        await using var pipeline = MusicClassificationPipeline.Create(WholeTrack(2, TimeSpan.FromMinutes(1)));
        using var cancellation = new CancellationTokenSource();
        var songs = Enumerable.Range(0, 6).Select(i => SongInput.FromBytes($"long-{i}", LongFlac.Value));

        Task<List<SongResult>> all = TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs, cancellationToken: cancellation.Token));
        bool started = false;
        for (int attempt = 0; attempt < 2000 && !(started = ChildProcesses.CountNamed("ffmpeg") > 0); attempt++)
        {
            await Task.Delay(5);
        }

        Assert.IsTrue(started, "FFmpeg started within 10 s");

        await cancellation.CancelAsync();
        List<SongResult> results = await all.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.HasCount(6, results);
        Assert.IsTrue(results.All(r => r.Error?.Code == SongErrorCode.Cancelled));
        await AssertNoFfmpegChildrenAsync();
    }

    [TestMethod]
    public async Task There_are_never_more_ffmpeg_processes_than_decode_workers()
    {
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(440, 20, 44_100), 44_100, 1, "mp3", "-c:a", "libmp3lame");
        await using var pipeline = MusicClassificationPipeline.Create(WholeTrack(2, TimeSpan.FromMinutes(1)));
        var songs = Enumerable.Range(0, 16).Select(i => SongInput.FromBytes($"mp3-{i}", mp3));
        int most = 0;
        // Bounded even if the run below throws before cancelling it.
        using var sampling = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                most = Math.Max(most, ChildProcesses.CountNamed("ffmpeg"));
                await Task.Delay(2);
            }
        });

        List<SongResult> results = await TestPipelines.CollectAsync(pipeline.ClassifyAsync(songs));
        await sampling.CancelAsync();
        await sampler;

        Assert.IsTrue(results.All(r => r.Succeeded), string.Join("; ", results.Select(r => r.Error?.Message)));
        Assert.IsGreaterThan(0, most, "The sampler never saw FFmpeg running.");
        Assert.IsLessThanOrEqualTo(2, most);
        await AssertNoFfmpegChildrenAsync();
    }
}
