using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Tests.Support;

/// <summary>Keeps every log line (level, category, formatted message, exception text), to check what was and was not logged.</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
    }
}
