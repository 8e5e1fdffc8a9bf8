using System.Diagnostics;
using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Decoding;

/// <summary>
/// The lean static FFmpeg of scripts/build-ffmpeg.sh (named by <c>MC_FFMPEG</c>, which scripts/test.sh sets when the build
/// is there): it says it is lean, decodes every accepted format to exactly the samples the distribution's FFmpeg gives,
/// and answers a codec it was not built with cleanly. Skipped, saying why, when the build is not there.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class LeanFfmpegTests
{
    private const int Rate = 44_100;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task The_pipeline_reports_the_lean_build_and_its_version()
    {
        string lean = LeanOrSkip();
        await using var pipeline = MusicClassificationPipeline.Create(new PipelineOptions { Decoding = new DecodingOptions { FfmpegPath = lean } });

        DecoderStatus status = await pipeline.GetDecoderStatusAsync(TestContext.CancellationToken);

        Assert.IsTrue(status.FfmpegAvailable, status.Problem);
        Assert.AreEqual("lean", status.FfmpegBuild);
        StringAssert.StartsWith(status.FfmpegVersion, "5.");
    }

    [TestMethod]
    [DataRow("mp3", new[] { "-c:a", "libmp3lame", "-b:a", "192k" })]
    [DataRow("m4a", new[] { "-c:a", "aac", "-b:a", "128k" })]
    [DataRow("flac", new[] { "-c:a", "flac" })]
    [DataRow("ogg", new[] { "-c:a", "libvorbis", "-q:a", "4" })]
    [DataRow("opus", new[] { "-c:a", "libopus", "-b:a", "96k" })]
    [DataRow("aiff", new[] { "-c:a", "pcm_s16be" })]
    [DataRow("mka", new[] { "-c:a", "libvorbis" })]
    [DataRow("wma", new[] { "-c:a", "wmav2", "-b:a", "128k" })]
    [DataRow("wav", new[] { "-c:a", "pcm_mulaw" })]
    [DataRow("wav", new[] { "-c:a", "adpcm_ima_wav" })]
    public async Task Every_accepted_format_decodes_to_the_same_samples_as_the_distribution_s_ffmpeg(string extension, string[] codec)
    {
        string lean = LeanOrSkip();
        float[] left = TestSignals.Sine(440, 12, Rate, 0.4);
        float[] right = TestSignals.WhiteNoise(12, Rate, seed: 3, amplitude: 0.1);
        byte[] song = FfmpegEncoder.Encode(TestSignals.Interleave(left, right), Rate, 2, extension, codec);

        using DecodedAudio full = await DecodeAssert.DecodeAsync(song, 22_050, o => o.FfmpegPath = null);
        using DecodedAudio mine = await DecodeAssert.DecodeAsync(song, 22_050, o => o.FfmpegPath = lean);

        Assert.AreEqual(full.Samples.Length, mine.Samples.Length, extension);
        CollectionAssert.AreEqual(full.Samples.ToArray(), mine.Samples.ToArray(), $"{extension}: the lean build decoded other samples.");
        Assert.AreEqual(full.Source, mine.Source);
    }

    [TestMethod]
    public async Task A_codec_the_lean_build_was_not_built_with_gets_a_clean_answer()
    {
        string lean = LeanOrSkip();

        // AC-3 in Matroska: the container is accepted, its codec is not compiled in.
        byte[] ac3 = FfmpegEncoder.Encode(TestSignals.Sine(440, 3, Rate, 0.4), Rate, 1, "mka", "-c:a", "ac3");

        SongFailureException failure = await Assert.ThrowsExactlyAsync<SongFailureException>(async () =>
        {
            using DecodedAudio audio = await DecodeAssert.DecodeAsync(ac3, 22_050, o => o.FfmpegPath = lean);
        });

        Assert.AreEqual(SongErrorCode.CorruptAudio, failure.Code, failure.Message);
        Assert.IsFalse(failure.Message.Contains(lean, StringComparison.Ordinal), "The message names the decoder's path.");
    }

    [TestMethod]
    public void The_scripts_fall_back_to_the_distribution_s_ffmpeg_when_no_lean_build_is_there()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new AssertInconclusiveException("scripts/build-ffmpeg.sh is for Debian and Ubuntu.");
        }

        string tools = Directory.CreateTempSubdirectory("mc-tools-").FullName;
        try
        {
            Assert.AreEqual(string.Empty, PrintPath(tools), "No build: the run and test commands use ffmpeg on PATH.");

            // The script's recipe number names its builds, so a build with other parts is never taken for the current one.
            int recipe = int.Parse(File.ReadLines(Script).Single(l => l.StartsWith("recipe=", StringComparison.Ordinal))["recipe=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            string other = FakeBuild(tools, $"ffmpeg-lean-5.1.9-r{recipe + 1}");
            Assert.AreEqual(string.Empty, PrintPath(tools), $"A build of another recipe was taken: {other}");

            string built = FakeBuild(tools, $"ffmpeg-lean-5.1.9-r{recipe}");
            Assert.AreEqual(built, PrintPath(tools));
        }
        finally
        {
            Directory.Delete(tools, recursive: true);
        }
    }

    private static string FakeBuild(string tools, string name)
    {
        string path = Path.Combine(tools, name, "ffmpeg");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static string Script => Path.Combine(TestData.Root, "..", "..", "scripts", "build-ffmpeg.sh");

    private static string PrintPath(string toolsDirectory)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("--print-path");
        start.Environment["MC_TOOLS_DIR"] = toolsDirectory;
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode);
        return output;
    }

    private static string LeanOrSkip()
    {
        return TestDecoder.FfmpegPath ?? throw new AssertInconclusiveException(
            $"{TestDecoder.Variable} does not name a lean FFmpeg (scripts/build-ffmpeg.sh builds one; scripts/test.sh sets it).");
    }
}
