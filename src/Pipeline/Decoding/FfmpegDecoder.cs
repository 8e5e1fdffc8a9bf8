using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace MusicClassification.Decoding;

/// <summary>
/// Decodes compressed songs with FFmpeg as a child process: the song goes in on stdin (MP4, whose index may sit at the
/// end, through a private temporary file), 32-bit float WAV comes out on stdout and is parsed by the managed WAV decoder,
/// so mixing, windowing, resampling and limits are the same as for WAV. The command line carries no name, path or URL
/// from the caller; only the pipe (or our own temporary file) protocol and audio demuxers are allowed. Cancellation,
/// timeout, a finished window or any failure kill the process, and it is always reaped.
/// </summary>
internal static class FfmpegDecoder
{
    /// <summary>The only demuxers FFmpeg may pick, whatever the bytes claim to be.</summary>
    internal const string AllowedDemuxers = "mp3,aac,mov,flac,ogg,wav,w64,aiff,matroska,asf";

    /// <summary>Seconds before the middle window below which seeking there saves too little to be worth it.</summary>
    private const double MinimumSeekSeconds = 1;

    /// <summary>How much shorter than the window a window decoded from a seek may come out before the file is taken as cut off.</summary>
    private const double ShortWindowSeconds = 0.5;

    // localFile: the song's own file when it has one (full path); FFmpeg reads it directly and no copy is made.
    public static async ValueTask<DecodedAudio> DecodeAsync(
        AudioByteReader input, AudioContainer container, FfmpegInfo ffmpeg, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, string? localFile, CancellationToken cancellationToken)
    {
        string format = AudioFormatSniffer.Describe(container);
        bool spooled = localFile is null && NeedsSeekableInput(container, options);
        string? inputFile = spooled
            ? await SpoolToTempFileAsync(input, options.TempDirectory ?? Path.GetTempPath(), cancellationToken).ConfigureAwait(false)
            : localFile;
        try
        {
            if (inputFile is not null && MiddleWindow(container, inputFile, options) is (double start, double seconds)
                && await DecodeWindowAsync(input, inputFile, format, ffmpeg, options, pool, tap, start, seconds, cancellationToken).ConfigureAwait(false) is { } window)
            {
                return window;
            }

            // A header that claims more than the file holds (a cut-off download) puts the middle window off centre or past
            // the end: the file is decoded again with the window centred on the audio that is really there.
            long? realFrames;
            try
            {
                DecodedAudio audio = await DecodeOnceAsync(input, inputFile, format, ffmpeg, options, pool, tap, knownFrames: null, seekSeconds: null, cancellationToken).ConfigureAwait(false);
                realFrames = inputFile is null ? null : ShorterThanDeclared(audio, options);
                if (realFrames is null)
                {
                    return audio;
                }

                audio.Dispose();
            }
            catch (WindowPastEndException past) when (inputFile is not null)
            {
                realFrames = past.AvailableFrames;
            }

            return await DecodeOnceAsync(input, inputFile, format, ffmpeg, options, pool, tap, realFrames, seekSeconds: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (spooled && inputFile is not null)
            {
                File.Delete(inputFile);
            }
        }
    }

    /// <summary>
    /// Where the middle window starts and how long the song is, when its container tells its length (MP3, MP4, Ogg
    /// Vorbis and Opus) and the part before the window is long enough to be worth skipping: FFmpeg then seeks there
    /// instead of decoding the song's first part only for it to be discarded (a third of the decoding of a five-minute
    /// song for a three-minute window).
    /// </summary>
    private static (double Start, double Seconds)? MiddleWindow(AudioContainer container, string inputFile, DecodingOptions options)
    {
        if (options.Window != AnalysisWindow.Middle || ContainerLength.Read(container, inputFile) is not double seconds
            || seconds > options.MaxDuration.TotalSeconds)
        {
            return null;
        }

        double start = (seconds - options.WindowLength.TotalSeconds) / 2;
        return start >= MinimumSeekSeconds ? (start, seconds) : null;
    }

    /// <summary>
    /// Decodes the window only, FFmpeg started at it. Null when the file holds less than its header claims (the window
    /// comes out short or empty) or FFmpeg finds it damaged: the caller then decodes from the start, which places the
    /// window on what is there, or fails with the reason.
    /// </summary>
    private static async Task<DecodedAudio?> DecodeWindowAsync(
        AudioByteReader input, string inputFile, string format, FfmpegInfo ffmpeg, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, double start, double seconds, CancellationToken cancellationToken)
    {
        DecodedAudio audio;
        try
        {
            audio = await DecodeOnceAsync(input, inputFile, format, ffmpeg, options.FromStartOfStream(), pool, tap, knownFrames: null, start, cancellationToken).ConfigureAwait(false);
        }
        catch (SongFailureException failure) when (failure.Code is SongErrorCode.EmptyAudio or SongErrorCode.CorruptAudio)
        {
            return null;
        }

        if (audio.DurationSeconds < options.WindowLength.TotalSeconds - ShortWindowSeconds)
        {
            audio.Dispose();
            return null;
        }

        return audio.StartingAt(start, seconds);
    }

    /// <summary>The song's real length in frames when it ended before its declared length left the middle window centred; otherwise null.</summary>
    private static long? ShorterThanDeclared(DecodedAudio audio, DecodingOptions options)
    {
        if (options.Window != AnalysisWindow.Middle || audio.Source.DurationSeconds is not double seconds)
        {
            return null;
        }

        double centred = Math.Max(0, (seconds - options.WindowLength.TotalSeconds) / 2);
        return audio.Source.WindowStartSeconds > centred + 0.5 ? (long)Math.Round(seconds * audio.Source.SampleRate) : null;
    }

    private static async Task<DecodedAudio> DecodeOnceAsync(
        AudioByteReader input, string? inputFile, string format, FfmpegInfo ffmpeg, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, long? knownFrames, double? seekSeconds, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(ffmpeg.Path!, inputFile, options, seekSeconds) };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw new SongFailureException(SongErrorCode.DecoderMissing, "FFmpeg could not be started.", ex) { Detail = ex.Message };
        }

        return await RunAsync(process, input, inputFile is null, format, options, pool, tap, knownFrames, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DecodedAudio> RunAsync(
        Process process, AudioByteReader input, bool feedStdin, string format, DecodingOptions options, ArrayPool<float> pool, Func<IWindowTap>? tap, long? knownFrames, CancellationToken cancellationToken)
    {
        var stderr = new FfmpegStderr(process.StandardError);
        Task feeding = feedStdin ? FeedAsync(process.StandardInput.BaseStream, input, cancellationToken) : Task.CompletedTask;
        bool stoppedEarly = false;
        try
        {
            using CancellationTokenRegistration kill = cancellationToken.Register(static p => Kill((Process)p!), process);
            using var output = new AudioByteReader(process.StandardOutput.BaseStream, long.MaxValue, blockingReads: true);
            DecodedAudio audio;
            try
            {
                audio = await OnReadingThread(() => WavDecoder.DecodeAsync(output, options, pool, tap, cancellationToken, LengthHint)).ConfigureAwait(false);
            }
            catch (SongFailureException failure) when (failure is not WindowPastEndException && failure.Code is SongErrorCode.CorruptAudio or SongErrorCode.EmptyAudio)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WaitForExitAsync(process).ConfigureAwait(false);
                await stderr.Completion.ConfigureAwait(false);
                await ThrowIfInputFailedAsync(feeding).ConfigureAwait(false);
                throw new SongFailureException(SongErrorCode.CorruptAudio, $"The {format} song could not be decoded: its data is damaged or not what its header says.", failure)
                {
                    Detail = stderr.Errors(),
                };
            }

            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                stoppedEarly = !output.EndOfStream;
                if (!stoppedEarly)
                {
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    await stderr.Completion.ConfigureAwait(false);
                    await ThrowIfInputFailedAsync(feeding).ConfigureAwait(false);
                    if (process.ExitCode != 0)
                    {
                        throw new SongFailureException(SongErrorCode.CorruptAudio, $"The {format} song could not be decoded to its end: its data is damaged.")
                        {
                            Detail = $"FFmpeg exit code {process.ExitCode}: {stderr.Errors()}",
                        };
                    }
                }

                return audio.WithFormat(format);
            }
            catch
            {
                audio.Dispose();
                throw;
            }
        }
        finally
        {
            // Done early (window full), failed or cancelled: stop FFmpeg now and always reap it, so no zombie remains.
            Kill(process);
            await WaitForExitAsync(process).ConfigureAwait(false);
            await IgnoreFailuresAsync(feeding).ConfigureAwait(false);
            await IgnoreFailuresAsync(stderr.Completion).ConfigureAwait(false);
        }

        // Called on the reading thread, which may block: waiting here keeps the rest of the reading on that thread.
        ValueTask<long?> LengthHint(int sampleRate, CancellationToken token)
        {
            if (knownFrames is not null)
            {
                return ValueTask.FromResult(knownFrames);
            }

            TimeSpan? declared = stderr.DeclaredDuration.WaitAsync(token).GetAwaiter().GetResult();
            return ValueTask.FromResult(declared is { } duration ? (long?)Math.Round(duration.TotalSeconds * sampleRate) : null);
        }
    }

    /// <summary>
    /// Runs the reading of FFmpeg's output on a thread of its own with blocking reads. FFmpeg writes its output 32 KiB at
    /// a time (about 1900 writes for three minutes of stereo); read asynchronously, each write costs a thread-pool
    /// wake-up and the pool's spinning after it: about 170 ms of CPU per song, against about 30 ms for blocking reads of
    /// the same pipe (benchmarks, <c>pipe</c>). Killing FFmpeg (cancellation, timeout, a full window) ends a blocked read with the end of the stream.
    /// </summary>
    private static Task<DecodedAudio> OnReadingThread(Func<ValueTask<DecodedAudio>> read) =>
        Task.Factory.StartNew(
            () => read().AsTask(),
            CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default).Unwrap();

    /// <summary>
    /// MP4 may keep its index at the end, and through a pipe FFmpeg cannot learn the length of MP3 or Ogg (needed to
    /// centre a <see cref="AnalysisWindow.Middle"/> window); those go through a private temporary file instead of stdin.
    /// </summary>
    private static bool NeedsSeekableInput(AudioContainer container, DecodingOptions options) =>
        container == AudioContainer.Mp4
        || (options.Window == AnalysisWindow.Middle && container is not (AudioContainer.Flac or AudioContainer.Wave or AudioContainer.Rf64 or AudioContainer.Aiff));

    private static ProcessStartInfo StartInfo(string ffmpegPath, string? inputFile, DecodingOptions options, double? seekSeconds)
    {
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = inputFile is null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        // A cap on the decoded length stops decompression bombs inside FFmpeg; one second more lets the managed side see the overrun.
        TimeSpan limit = options.Window == AnalysisWindow.Start ? options.WindowLength : options.MaxDuration + TimeSpan.FromSeconds(1);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-threads", "1",
            "-protocol_whitelist", inputFile is null ? "pipe" : "file",
            "-format_whitelist", AllowedDemuxers,
            .. (seekSeconds is double seek ? (string[])["-ss", seek.ToString("0.######", CultureInfo.InvariantCulture)] : []),
            "-i", inputFile is null ? "pipe:0" : "file:" + inputFile,
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            "-t", limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-c:a", "pcm_f32le", "-f", "wav", "-flush_packets", "0", "pipe:1",
        ];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    internal static async Task FeedAsync(Stream stdin, AudioByteReader input, CancellationToken cancellationToken)
    {
        try
        {
            while (await input.FillAsync(AudioByteReader.BufferSize, cancellationToken).ConfigureAwait(false) > 0)
            {
                await stdin.WriteAsync(input.BufferedMemory, cancellationToken).ConfigureAwait(false);
                input.Consume(input.Buffered.Length);
            }
        }
        finally
        {
            // Closing stdin is FFmpeg's end-of-input; a broken pipe here means FFmpeg already stopped reading.
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The name every FFmpeg temporary copy starts with, so a service can sweep its folder after a crash.</summary>
    public const string TempFilePrefix = "mc-ffmpeg-";

    internal static async Task<string> SpoolToTempFileAsync(AudioByteReader input, string folder, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, $"{TempFilePrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                // Private to this user: the song's bytes are nobody else's business.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var file = new FileStream(path, options);
            await using (file.ConfigureAwait(false))
            {
                while (await input.FillAsync(AudioByteReader.BufferSize, cancellationToken).ConfigureAwait(false) > 0)
                {
                    await file.WriteAsync(input.BufferedMemory, cancellationToken).ConfigureAwait(false);
                    input.Consume(input.Buffered.Length);
                }
            }

            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or never started.
        }
    }

    private static async Task WaitForExitAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Surfaces a failure reading the song (too large, unreadable) that FFmpeg only saw as an early end of input.</summary>
    private static async Task ThrowIfInputFailedAsync(Task feeding)
    {
        try
        {
            await feeding.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A broken pipe: FFmpeg stopped reading; its own exit status tells the story.
        }
    }

    private static async Task IgnoreFailuresAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SongFailureException)
        {
        }
    }
}
