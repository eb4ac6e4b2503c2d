using Microsoft.Extensions.Logging.Console;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// Console logs an operator can read and ship: a UTC timestamp on every line (simple and JSON formatters) unless the
/// configuration sets its own <c>Logging:Console:FormatterOptions:TimestampFormat</c>, and the formatter the
/// configuration names (<c>Logging__Console__FormatterName=json</c>) even under systemd, where <c>AddSystemd</c> would
/// otherwise pick journald's format. appsettings.json makes the simple formatter one line per entry.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>ISO 8601 in UTC, milliseconds: sorts as text and reads the same on every node.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static ILoggingBuilder AddContinuityConsoleDefaults(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            if (o.TimestampFormat is null)
            {
                o.TimestampFormat = TimestampFormat + " ";
                o.UseUtcTimestamp = true;
            }
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            if (o.TimestampFormat is null)
            {
                o.TimestampFormat = TimestampFormat;
                o.UseUtcTimestamp = true;
            }
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o =>
        {
            // A named formatter, always: with none, the console logger replaces the formatter's options by its own
            // obsolete ones, and SingleLine and the timestamp above are lost.
            o.FormatterName = configuration["Logging:Console:FormatterName"] is { Length: > 0 } name ? name
                : o.FormatterName ?? ConsoleFormatterNames.Simple;
        });
        return logging;
    }
}
