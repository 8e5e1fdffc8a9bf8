using System.Globalization;

namespace LibraryUploader;

/// <summary>
/// What a run tells its user. On a terminal the state of the job being collected is one line redrawn in place, with a
/// bar of the library's songs that have results; events (a job accepted, a retry) are printed above it. Anywhere else
/// (a log file, a pipe) each status is a line of its own, written only when it changed, so a long poll does not fill
/// the log with the same line.
/// </summary>
/// <param name="writer">Where to write.</param>
/// <param name="terminal">Whether <paramref name="writer"/> is an interactive terminal that understands a carriage return and erase-line.</param>
/// <param name="width">The terminal's width: a status line is cut to fit it, since a wrapped line cannot be redrawn in place.</param>
public sealed class UploadProgress(TextWriter writer, bool terminal, int width = int.MaxValue)
{
    private const int BarWidth = 30;
    private const string EraseLine = "\r\u001b[K";
    private readonly Lock _gate = new();
    private string? _status;

    /// <summary>Gets a progress that writes nothing.</summary>
    public static UploadProgress Silent { get; } = new(TextWriter.Null, terminal: false);

    /// <summary>Progress on standard output: in place when it is a terminal, line by line when redirected.</summary>
    public static UploadProgress ForConsole()
    {
        bool terminal = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        return new(Console.Out, terminal, terminal && Console.WindowWidth > 1 ? Console.WindowWidth - 1 : int.MaxValue);
    }

    /// <summary>Prints an event above the status line.</summary>
    public void Say(string line)
    {
        lock (_gate)
        {
            if (terminal && _status is not null)
            {
                writer.Write(EraseLine);
                writer.WriteLine(line);
                writer.Write(_status);
            }
            else
            {
                writer.WriteLine(line);
            }

            writer.Flush();
        }
    }

    /// <summary>Shows where the run is: <paramref name="done"/> of <paramref name="total"/> songs with results, and what is happening.</summary>
    public void Status(int done, int total, string what)
    {
        string line = terminal
            ? $"{Bar(done, total)} {done}/{total} {Percent(done, total)}  {what}"
            : $"{done}/{total} songs have results; {what}";
        if (terminal && line.Length > width)
        {
            line = line[..width];
        }

        lock (_gate)
        {
            if (line == _status)
            {
                return;
            }

            writer.Write(terminal ? EraseLine + line : line + Environment.NewLine);
            writer.Flush();
            _status = line;
        }
    }

    /// <summary>Ends the status line so that what follows starts on a line of its own.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (terminal && _status is not null)
            {
                writer.WriteLine();
                writer.Flush();
            }

            _status = null;
        }
    }

    private static string Bar(int done, int total)
    {
        int filled = total <= 0 ? BarWidth : (int)((long)BarWidth * Math.Clamp(done, 0, total) / total);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }

    private static string Percent(int done, int total) =>
        (total <= 0 ? 100.0 : 100.0 * done / total).ToString("0", CultureInfo.InvariantCulture) + " %";
}
