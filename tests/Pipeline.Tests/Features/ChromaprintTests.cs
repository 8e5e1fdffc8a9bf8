using System.Diagnostics;
using System.Text.Json;
using MusicClassification.Features.Fingerprints;
using MusicClassification.Tests;
using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Pipeline.Tests.Features;

/// <summary>
/// The Chromaprint port against <c>fpcalc</c> 1.5.1's own fingerprints of the committed clips
/// (tests/TestData/reference/chromaprint.fpcalc.json): the same 11 025 Hz 16-bit mono audio (FFmpeg's resampler in
/// Chromaprint's compatible mode) must give the same subfingerprints and the same compressed string.
/// </summary>
[TestClass]
public sealed class ChromaprintTests
{
    [TestMethod]
    [DataRow("singularity-coherence-30s")]
    [DataRow("singularity-media-threat-30s")]
    [DataRow("singularity-nebula-30s")]
    public void The_fingerprint_of_a_clip_is_fpcalcs(string clip)
    {
        JsonElement reference = Reference(clip);
        short[] audio = DecodeAsFpcalcDoes(TestData.Clip(clip));

        uint[] fingerprint = ChromaprintFingerprinter.Compute(audio);

        uint[] expected = [.. reference.GetProperty("raw").EnumerateArray().Select(v => (uint)v.GetInt64())];
        Assert.HasCount(expected.Length, fingerprint);
        int differentBits = expected.Zip(fingerprint, (a, b) => System.Numerics.BitOperations.PopCount(a ^ b)).Sum();
        Assert.AreEqual(0, differentBits, $"bit errors: {differentBits} of {expected.Length * 32}");
        Assert.AreEqual(reference.GetProperty("fingerprint").GetString(), ChromaprintEncoding.Encode(fingerprint));
    }

    [TestMethod]
    [DataRow("singularity-coherence-30s")]
    [DataRow("singularity-nebula-30s")]
    public async Task With_fingerprints_on_the_pipeline_gives_each_song_fpcalcs_string(string clip)
    {
        await using MusicClassificationPipeline pipeline = TestPipelines.Create(new PipelineOptions
        {
            Features = { Fingerprint = true },
            Decoding = { FfmpegPath = TestDecoder.FfmpegPath },
        });

        SongResult fromFile = await pipeline.ClassifyAsync(SongInput.FromFile(clip, TestData.Clip(clip)));
        SongResult fromBytes = await pipeline.ClassifyAsync(SongInput.FromBytes(clip, await File.ReadAllBytesAsync(TestData.Clip(clip))));

        string expected = Reference(clip).GetProperty("fingerprint").GetString()!;
        Assert.AreEqual(expected, fromFile.Fingerprint, fromFile.Error?.Message);
        Assert.AreEqual(expected, fromBytes.Fingerprint, "piped to FFmpeg, not read from a file");
    }

    [TestMethod]
    public async Task Only_the_first_120_seconds_are_fingerprinted_as_fpcalc_does_and_the_default_is_off()
    {
        JsonElement generated = Generated();
        byte[] wav = FfmpegEncoder.EncodeLavfi(generated.GetProperty("lavfi").GetString()!, "wav", "-c:a", "pcm_s16le");
        await using MusicClassificationPipeline on = TestPipelines.Create(new PipelineOptions
        {
            Features = { Fingerprint = true },
            Decoding = { FfmpegPath = TestDecoder.FfmpegPath },
        });
        await using MusicClassificationPipeline off = TestPipelines.Create(new PipelineOptions { Decoding = { FfmpegPath = TestDecoder.FfmpegPath } });

        SongResult fingerprinted = await on.ClassifyAsync(SongInput.FromBytes("steps.wav", wav));
        SongResult plain = await off.ClassifyAsync(SongInput.FromBytes("steps.wav", wav));

        Assert.AreEqual(150, fingerprinted.Audio!.DurationSeconds!.Value, 0.01);
        Assert.AreEqual(generated.GetProperty("fingerprint").GetString(), fingerprinted.Fingerprint);
        Assert.IsNull(plain.Fingerprint);
        Assert.IsTrue(plain.Succeeded);
    }

    private static JsonElement Generated() => TestData.FpcalcReference().GetProperty("generated").GetProperty("steps-150s");

    private static JsonElement Reference(string clip) => TestData.FpcalcReference().GetProperty("clips").GetProperty(clip + ".ogg");

    /// <summary>What fpcalc feeds Chromaprint: FFmpeg's decode, resampled by swr in Chromaprint's compatible mode to 16-bit mono 11 025 Hz.</summary>
    private static short[] DecodeAsFpcalcDoes(string path)
    {
        var start = new ProcessStartInfo(TestDecoder.FfmpegPath ?? "ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["-v", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-af",
            "aresample=resampler=swr:filter_size=16:phase_shift=8:linear_interp=1:cutoff=0.8:osr=11025:osf=s16:ochl=mono,aformat=sample_fmts=s16:channel_layouts=mono:sample_rates=11025",
            "-c:a", "pcm_f32le", "-f", "wav", "pipe:1"])
        {
            start.ArgumentList.Add(argument);
        }

        using Process ffmpeg = Process.Start(start)!;
        using var bytes = new MemoryStream();
        Task<string> errors = ffmpeg.StandardError.ReadToEndAsync();
        ffmpeg.StandardOutput.BaseStream.CopyTo(bytes);
        ffmpeg.WaitForExit();
        Assert.AreEqual(0, ffmpeg.ExitCode, errors.Result);
        // The lean FFmpeg muxes WAV only: the samples follow the "data" chunk's header (FFmpeg streams it with no size).
        byte[] wav = bytes.ToArray();
        int data = wav.AsSpan().IndexOf("data"u8) + 8;
        ReadOnlySpan<float> samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(wav.AsSpan(data, (wav.Length - data) / 4 * 4));
        return [.. samples.ToArray().Select(s => (short)Math.Round(s * 32768f))];
    }
}
