using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MusicClassification.Decoding;

namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// A song's AcoustID fingerprint as <c>fpcalc</c> makes it: the first 120 s decoded by FFmpeg and resampled by its
/// <c>swr</c> resampler in Chromaprint's compatible mode (filter size 16, phase shift 8, linear interpolation, cutoff
/// 0.8) to 16-bit mono at 11 025 Hz, then <see cref="ChromaprintFingerprinter"/> and <see cref="ChromaprintEncoding"/>.
/// The analysis window may start anywhere, so this is a decode of its own (a second FFmpeg process, running beside the
/// feature extraction). A fingerprint that cannot be made (no FFmpeg, audio under ~3 s, a decode error) is absent;
/// it never fails the song.
/// </summary>
internal sealed class SongFingerprinter(DecodingOptions options)
{
    /// <summary>What fpcalc fingerprints by default: the first 120 s.</summary>
    public const int Seconds = 120;

    private const int SampleLimit = Seconds * ChromaprintFingerprinter.SampleRate;

    private const string Resampler =
        "aresample=resampler=swr:filter_size=16:phase_shift=8:linear_interp=1:cutoff=0.8:osr=11025:osf=s16:ochl=mono," +
        "aformat=sample_fmts=s16:channel_layouts=mono:sample_rates=11025";

    /// <summary>The compressed fingerprint (AcoustID's lookup string), or null when none can be made.</summary>
    public async Task<string?> FingerprintAsync(SongInput song, CancellationToken cancellationToken)
    {
        FfmpegInfo ffmpeg = await FfmpegLocator.LocateAsync(options.FfmpegPath).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!ffmpeg.IsAvailable)
        {
            return null;
        }

        // 120 s of 16-bit samples is 2.6 MB: rented, so a batch does not leave one such array per song to the collector.
        short[] audio = ArrayPool<short>.Shared.Rent(SampleLimit);
        try
        {
            int length = await DecodeAsync(song, ffmpeg.Path!, audio, cancellationToken).ConfigureAwait(false);
            uint[] fingerprint = ChromaprintFingerprinter.Compute(audio.AsSpan(0, length));
            return fingerprint.Length == 0 ? null : ChromaprintEncoding.Encode(fingerprint);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException or SongFailureException)
        {
            // FFmpeg could not be run or the song's bytes read: no fingerprint, and the song's analysis goes on.
            return null;
        }
        finally
        {
            ArrayPool<short>.Shared.Return(audio);
        }
    }

    /// <summary>Decodes the first 120 s into <paramref name="audio"/>; returns how many samples it holds.</summary>
    private async Task<int> DecodeAsync(SongInput song, string ffmpegPath, short[] audio, CancellationToken cancellationToken)
    {
        if (song.LocalPath is { } path)
        {
            return await RunAsync(ffmpegPath, Path.GetFullPath(path), input: null, audio, cancellationToken).ConfigureAwait(false);
        }

        Stream source = await song.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable closing = source.ConfigureAwait(false);
        using var reader = new AudioByteReader(source, options.MaxInputBytes);
        await reader.FillAsync(AudioFormatSniffer.HeaderLength, cancellationToken).ConfigureAwait(false);

        // MP4 may keep its index at the end, which FFmpeg cannot reach through a pipe: such a song goes through a
        // private temporary file, as the analysis decode does.
        if (AudioFormatSniffer.Sniff(reader.Buffered) != AudioContainer.Mp4)
        {
            return await RunAsync(ffmpegPath, file: null, reader, audio, cancellationToken).ConfigureAwait(false);
        }

        string temporary = await FfmpegDecoder.SpoolToTempFileAsync(reader, options.TempDirectory ?? Path.GetTempPath(), cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(ffmpegPath, temporary, input: null, audio, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<int> RunAsync(string ffmpegPath, string? file, AudioByteReader? input, short[] audio, CancellationToken cancellationToken)
    {
        using Process process = Process.Start(StartInfo(ffmpegPath, file))!;
        CancellationTokenRegistration kill = cancellationToken.Register(static state => Kill((Process)state!), process);
        await using ConfiguredAsyncDisposable killing = kill.ConfigureAwait(false);
        Task<string> errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        Task feeding = input is null ? Task.CompletedTask : FfmpegDecoder.FeedAsync(process.StandardInput.BaseStream, input, cancellationToken);
        int length;
        try
        {
            length = await ReadAsync(process.StandardOutput.BaseStream, audio, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Past 120 s FFmpeg is no longer needed: stopping it spares decoding the rest of a long song.
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await feeding.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await errors.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return length;
    }

    private static ProcessStartInfo StartInfo(string ffmpegPath, string? file)
    {
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = file is null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-threads", "1",
            "-protocol_whitelist", file is null ? "pipe" : "file",
            "-format_whitelist", FfmpegDecoder.AllowedDemuxers,
            "-i", file is null ? "pipe:0" : "file:" + file,
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            "-af", Resampler,
            "-t", (Seconds + 1).ToString(CultureInfo.InvariantCulture),
            "-c:a", "pcm_f32le", "-f", "wav", "pipe:1",
        ];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The first 120 s of FFmpeg's WAV (32-bit float holding 16-bit values exactly) into <paramref name="audio"/>; the count read.</summary>
    private static async Task<int> ReadAsync(Stream wav, short[] audio, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[65_536];
        int filled = 0;
        int data = -1;
        while (data < 0)
        {
            int read = await wav.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return 0;
            }

            filled += read;
            int chunk = buffer.AsSpan(0, filled).IndexOf("data"u8);
            if (chunk >= 0 && filled >= chunk + 8)
            {
                data = chunk + 8;
            }
            else if (filled == buffer.Length)
            {
                return 0;
            }
        }

        int count = 0;
        int pending = filled - data;
        Buffer.BlockCopy(buffer, data, buffer, 0, pending);
        while (count < SampleLimit)
        {
            int whole = Math.Min(pending / sizeof(float), SampleLimit - count);
            foreach (float sample in MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, whole * sizeof(float))))
            {
                audio[count++] = (short)MathF.Round(sample * 32768f);
            }

            int rest = pending - (whole * sizeof(float));
            Buffer.BlockCopy(buffer, whole * sizeof(float), buffer, 0, rest);
            int read = count < SampleLimit ? await wav.ReadAsync(buffer.AsMemory(rest), cancellationToken).ConfigureAwait(false) : 0;
            if (read == 0)
            {
                break;
            }

            pending = rest + read;
        }

        return count;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
