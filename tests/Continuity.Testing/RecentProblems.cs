using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Continuity.Testing;

/// <summary>
/// A logger provider that keeps the last warnings and errors of a host in memory, so a test that
/// fails on a status code (a 500 with an empty body) can say what the host logged.
/// </summary>
public sealed class RecentProblems : ILoggerProvider
{
    private const int Kept = 20;
    private readonly ConcurrentQueue<string> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The kept entries, oldest first, one per line (empty when nothing was logged).</summary>
    public string Describe() => string.Join(Environment.NewLine, _entries);

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Kept && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(RecentProblems owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception)}");
            }
        }
    }
}
