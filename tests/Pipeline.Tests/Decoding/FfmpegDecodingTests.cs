using MusicClassification.Decoding;
using MusicClassification.Tests.TestAudio;
using MusicClassification.Dsp;

namespace MusicClassification.Tests.Decoding;

/// <summary>Compressed formats, generated with FFmpeg in the test and decoded through the production router.</summary>
[TestClass]
[TestCategory(TestCategories.Ffmpeg)]
public sealed class FfmpegDecodingTests
{
    private const int AnalysisRate = 22_050;

    // (extension, encoder arguments, duration tolerance in samples (one codec frame), source rate, channels)
    public static IEnumerable<object[]> Formats() =>
    [
        ["mp3", new[] { "-c:a", "libmp3lame", "-b:a", "192k" }, 1152, 44_100, 2],
        ["mp3", new[] { "-c:a", "libmp3lame", "-b:a", "96k" }, 1152, 22_050, 1],
        ["m4a", new[] { "-c:a", "aac", "-b:a", "160k" }, 1024, 48_000, 2],
        ["m4a", new[] { "-c:a", "aac", "-b:a", "128k" }, 1024, 44_100, 1],
        ["flac", new[] { "-c:a", "flac" }, 1, 96_000, 2],
        ["flac", new[] { "-c:a", "flac" }, 1, 16_000, 6],
        ["ogg", new[] { "-c:a", "libvorbis", "-q:a", "5" }, 2048, 44_100, 2],
        ["opus", new[] { "-c:a", "libopus", "-b:a", "128k" }, 960, 48_000, 2],
        ["wav", new[] { "-c:a", "adpcm_ms" }, 1024, 22_050, 2],
        // Raw ADTS has no container to declare the encoder's priming, so up to two frames (delay + padding) remain.
        ["aac", new[] { "-c:a", "aac", "-b:a", "128k" }, 2048, 44_100, 2],
    ];

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public async Task Each_format_decodes_to_the_right_duration_level_and_frequency(string extension, string[] codec, int frameLength, int rate, int channels)
    {
        const double Seconds = 3;
        const double Amplitude = 0.5;
        float[] tone = TestSignals.Sine(1000, Seconds, rate, Amplitude);
        byte[] encoded = FfmpegEncoder.Encode(TestSignals.Interleave(Enumerable.Repeat(tone, channels).ToArray()), rate, channels, extension, codec);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(encoded, AnalysisRate, o => o.Window = AnalysisWindow.WholeTrack);

        Assert.AreEqual(rate, audio.Source.SampleRate, "source rate");
        Assert.AreEqual(channels, audio.Source.Channels, "channels");
        Assert.AreEqual(Seconds, audio.DurationSeconds, (double)frameLength / rate + 1e-3, "duration within one codec frame");
        ReadOnlySpan<float> middle = audio.Samples.Slice(AnalysisRate / 2, AnalysisRate * 2);
        double levelDb = 20 * Math.Log10(TestSignals.Rms(middle) / (Amplitude / Math.Sqrt(2)));
        Assert.AreEqual(0, levelDb, 0.5, "level within 0.5 dB");
        double dominant = Spectrum.DominantFrequency(audio.Samples, AnalysisRate, AnalysisRate);
        Assert.AreEqual(1000, dominant, Spectrum.BinWidth(AnalysisRate), "dominant frequency within one bin");
        Assert.AreNotEqual("wav/float32", audio.Source.Format);
    }

    [TestMethod]
    public async Task A_chord_keeps_its_loudest_note()
    {
        float[] a4 = TestSignals.Sine(440, 2, 44_100, 0.4);
        float[] e5 = TestSignals.Sine(659.255, 2, 44_100, 0.1);
        float[] chord = a4.Zip(e5, (x, y) => x + y).ToArray();
        byte[] mp3 = FfmpegEncoder.Encode(chord, 44_100, 1, "mp3", "-c:a", "libmp3lame", "-b:a", "192k");

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(mp3, AnalysisRate);

        Assert.AreEqual(440, Spectrum.DominantFrequency(audio.Samples, AnalysisRate, AnalysisRate / 2), Spectrum.BinWidth(AnalysisRate));
    }

    [TestMethod]
    [DataRow("flac", "-c:a", "flac")]
    [DataRow("mp3", "-c:a", "libmp3lame")]
    [DataRow("ogg", "-c:a", "libvorbis")]
    public async Task The_middle_window_is_centred_on_the_song(string extension, string codecFlag, string codec)
    {
        // 0–25 s at 200 Hz, 25–35 s at 1 kHz, 35–60 s at 200 Hz: the middle 10 s are all 1 kHz.
        const int Rate = 16_000;
        float[] signal = [.. TestSignals.Sine(200, 25, Rate), .. TestSignals.Sine(1000, 10, Rate), .. TestSignals.Sine(200, 25, Rate)];
        byte[] encoded = FfmpegEncoder.Encode(signal, Rate, 1, extension, codecFlag, codec);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(encoded, AnalysisRate, o =>
        {
            o.Window = AnalysisWindow.Middle;
            o.WindowLength = TimeSpan.FromSeconds(9);
        });

        Assert.AreEqual(9, audio.DurationSeconds, 0.01);
        Assert.AreEqual(60, audio.Source.DurationSeconds!.Value, 0.1);
        Assert.AreEqual(25.5, audio.Source.WindowStartSeconds, 0.1);
        Assert.AreEqual(1000, Spectrum.DominantFrequency(audio.Samples, AnalysisRate, 0), Spectrum.BinWidth(AnalysisRate));
        Assert.AreEqual(1000, Spectrum.DominantFrequency(audio.Samples, AnalysisRate, audio.Length - 4096), Spectrum.BinWidth(AnalysisRate));
    }

    [TestMethod]
    [DataRow("mp3", 44_100, "-c:a", "libmp3lame", "-b:a", "192k")]
    [DataRow("mp3", 44_100, "-c:a", "libmp3lame", "-q:a", "4")]
    [DataRow("m4a", 44_100, "-c:a", "aac", "-b:a", "160k")]
    [DataRow("ogg", 44_100, "-c:a", "libvorbis", "-q:a", "5")]
    [DataRow("opus", 48_000, "-c:a", "libopus", "-b:a", "128k")]
    public async Task A_long_song_is_decoded_from_its_middle_window_to_the_sample(string extension, int rate, params string[] codec)
    {
        // 200 s with one click at 100 s: a 20 s middle window starts at about 90 s (the declared length counts the encoder's
        // delay and padding too), FFmpeg seeks there instead of decoding the first 90 s, and the click sits where the
        // reported start says it must, to the sample.
        float[] signal = TestSignals.WhiteNoise(200, rate, seed: 3, amplitude: 0.01);
        signal[100 * rate] = 0.9f;
        byte[] encoded = FfmpegEncoder.Encode(signal, rate, 1, extension, codec);

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(encoded, AnalysisRate, o =>
        {
            o.Window = AnalysisWindow.Middle;
            o.WindowLength = TimeSpan.FromSeconds(20);
        });

        Assert.AreEqual(20, audio.DurationSeconds, 0.01);
        Assert.AreEqual(90, audio.Source.WindowStartSeconds, 0.05);
        Assert.AreEqual(200, audio.Source.DurationSeconds!.Value, 0.1);
        int click = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(audio.Samples);
        Assert.AreEqual(100 - audio.Source.WindowStartSeconds, (double)click / AnalysisRate, 1.5 / AnalysisRate, $"the click's place in the window: {(double)click / AnalysisRate:0.######} s");
    }

    [TestMethod]
    [DataRow("mp3", "-c:a", "libmp3lame", "-b:a", "128k")]
    [DataRow("flac", "-c:a", "flac")]
    public async Task A_song_on_disk_is_read_in_place_and_decodes_to_the_samples_of_its_bytes(string extension, params string[] codec)
    {
        // FFmpeg reads a file song itself: no temporary copy appears, and the samples and window are those of the same
        // bytes given in memory (which are copied to a temporary file so that FFmpeg can seek).
        float[] signal = TestSignals.WhiteNoise(60, 44_100, seed: 5, amplitude: 0.1);
        byte[] encoded = FfmpegEncoder.Encode(signal, 44_100, 1, extension, codec);
        string folder = Path.Combine(Path.GetTempPath(), $"mc-in-place-{Guid.NewGuid():N}");
        string spool = Path.Combine(folder, "spool");
        Directory.CreateDirectory(spool);
        string path = Path.Combine(folder, "song." + extension);
        await File.WriteAllBytesAsync(path, encoded);
        try
        {
            var options = new DecodingOptions { AnalysisSampleRate = AnalysisRate, Window = AnalysisWindow.Middle, WindowLength = TimeSpan.FromSeconds(20), TempDirectory = spool };
            var decoder = new SongDecoder(options, SampleBuffers.Shared);
            int created = 0;
            using var watcher = new FileSystemWatcher(spool) { EnableRaisingEvents = true };
            watcher.Created += (_, _) => Interlocked.Increment(ref created);

            using DecodedAudio inPlace = await decoder.DecodeAsync(SongInput.FromFile("file", path), CancellationToken.None);
            await Task.Delay(300);
            Assert.AreEqual(0, Volatile.Read(ref created), "a temporary copy was made of a song on disk");

            using DecodedAudio fromBytes = await decoder.DecodeAsync(SongInput.FromBytes("bytes", encoded), CancellationToken.None);
            Assert.AreEqual(inPlace.Source.WindowStartSeconds, fromBytes.Source.WindowStartSeconds);
            CollectionAssert.AreEqual(fromBytes.Samples.ToArray(), inPlace.Samples.ToArray());
            Assert.AreEqual(20 * AnalysisRate, inPlace.Length, AnalysisRate * 0.01);
            if (extension == "mp3")
            {
                // The watcher sees the copy the bytes needed: it would have seen one for the file too.
                for (int i = 0; i < 40 && Volatile.Read(ref created) == 0; i++)
                {
                    await Task.Delay(50);
                }

                Assert.IsGreaterThan(0, Volatile.Read(ref created), "the watcher saw no temporary copy for the bytes either");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task A_song_on_disk_larger_than_the_cap_is_refused_before_ffmpeg_reads_it()
    {
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(1000, 5, 44_100), 44_100, 1, "mp3", "-c:a", "libmp3lame");
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.mp3");
        await File.WriteAllBytesAsync(path, mp3);
        try
        {
            var decoder = new SongDecoder(new DecodingOptions { MaxInputBytes = mp3.Length - 1 }, SampleBuffers.Shared);
            SongFailureException failure = await Assert.ThrowsExactlyAsync<SongFailureException>(async () =>
            {
                using DecodedAudio _ = await decoder.DecodeAsync(SongInput.FromFile("big", path), CancellationToken.None);
            });
            Assert.AreEqual(SongErrorCode.TooLong, failure.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task The_start_window_stops_decoding_at_its_end()
    {
        byte[] flac = FfmpegEncoder.EncodeLavfi("sine=f=440:r=22050:d=120", "flac", "-c:a", "flac");

        using DecodedAudio audio = await DecodeAssert.DecodeAsync(flac, AnalysisRate, o =>
        {
            o.Window = AnalysisWindow.Start;
            o.WindowLength = TimeSpan.FromSeconds(5);
        });

        Assert.AreEqual(5 * AnalysisRate, audio.Length);
        Assert.AreEqual(0, audio.Source.WindowStartSeconds);
    }

    [TestMethod]
    public async Task A_lying_file_name_does_not_matter()
    {
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(1000, 1, 44_100), 44_100, 1, "mp3", "-c:a", "libmp3lame");
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(path, mp3);
        try
        {
            using DecodedAudio audio = await new SongDecoder(new DecodingOptions(), SampleBuffers.Shared).DecodeAsync(SongInput.FromFile("liar.wav", path), CancellationToken.None);
            Assert.AreEqual("mp3", audio.Source.Format);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task Without_ffmpeg_compressed_songs_fail_with_decoder_missing_and_wav_still_works()
    {
        byte[] mp3 = FfmpegEncoder.Encode(TestSignals.Sine(1000, 1, 44_100), 44_100, 1, "mp3", "-c:a", "libmp3lame");
        void NoFfmpeg(DecodingOptions o) => o.FfmpegPath = "/nonexistent/ffmpeg";

        SongFailureException failure = await DecodeAssert.FailsAsync(mp3, SongErrorCode.DecoderMissing, NoFfmpeg);
        StringAssert.Contains(failure.Message, "FFmpeg is not available");
        Assert.DoesNotContain("/nonexistent", failure.Message, "the configured path is for the log, not the caller");
        StringAssert.Contains(failure.Detail, "/nonexistent/ffmpeg");
        using DecodedAudio wav = await DecodeAssert.DecodeAsync(WavBytes.Encode(TestSignals.Sine(440, 1, 22_050), 22_050), AnalysisRate, NoFfmpeg);
        Assert.AreEqual(22_050, wav.Length);
    }
}
