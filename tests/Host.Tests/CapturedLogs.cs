using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MusicClassification.Host.Tests;

/// <summary>Keeps every log entry's level and category, so tests can prove what the host writes at which level.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Whether anything was logged at <paramref name="level"/> or above.</summary>
    public bool Any(LogLevel level) => Entries.Any(e => e.Level >= level);

    /// <summary>The entries at warning level and above, one per line, for a failing test's message.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
