using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MusicClassification.Decoding;

/// <summary>
/// Reads FFmpeg's stderr to its end, keeping a bounded tail for error messages and picking out the input's declared
/// duration, which FFmpeg prints before it writes any audio.
/// </summary>
internal sealed partial class FfmpegStderr
{
    private const int MaxKeptChars = 8 * 1024;
    private readonly StringBuilder _tail = new();
    private readonly TaskCompletionSource<TimeSpan?> _duration = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan? _declared;

    public FfmpegStderr(StreamReader stderr)
    {
        Completion = ReadAsync(stderr);
    }

    public Task Completion { get; }

    /// <summary>Gets the input's declared duration once FFmpeg has described its input (null when it did not know it).</summary>
    public Task<TimeSpan?> DeclaredDuration => _duration.Task;

    /// <summary>The last error lines FFmpeg wrote, for a failure message.</summary>
    public string Errors()
    {
        lock (_tail)
        {
            var lines = _tail.ToString()
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !IsInformational(line))
                .TakeLast(4);
            string text = string.Join(" ", lines);
            return text.Length == 0 ? "FFmpeg gave no reason." : text;
        }
    }

    private static bool IsInformational(string line) =>
        line.StartsWith("Input #", StringComparison.Ordinal) || line.StartsWith("Output #", StringComparison.Ordinal)
        || line.StartsWith("Stream", StringComparison.Ordinal) || line.StartsWith("Duration:", StringComparison.Ordinal)
        || line.StartsWith("Metadata:", StringComparison.Ordinal) || line.Contains(" : ", StringComparison.Ordinal)
        || line.StartsWith("size=", StringComparison.Ordinal) || line.StartsWith("video:", StringComparison.Ordinal);

    private async Task ReadAsync(StreamReader stderr)
    {
        try
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Observe(line);
            }
        }
        catch (IOException)
        {
            // The process was killed mid-line; what was read is all there is.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _duration.TrySetResult(_declared);
        }
    }

    private void Observe(string line)
    {
        lock (_tail)
        {
            _tail.AppendLine(line);
            if (_tail.Length > MaxKeptChars)
            {
                _tail.Remove(0, _tail.Length - MaxKeptChars);
            }
        }

        if (_duration.Task.IsCompleted)
        {
            return;
        }

        Match match = DurationPattern().Match(line);
        if (match.Success && _declared is null)
        {
            _declared = new TimeSpan(0, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0)
                + TimeSpan.FromSeconds(double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        }
        else if (line.StartsWith("Stream mapping:", StringComparison.Ordinal) || line.StartsWith("Output #", StringComparison.Ordinal))
        {
            _duration.TrySetResult(_declared);
        }
    }

    [GeneratedRegex(@"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")]
    private static partial Regex DurationPattern();
}
