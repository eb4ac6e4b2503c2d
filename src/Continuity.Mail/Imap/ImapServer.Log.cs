using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Imap;

internal sealed partial class ImapServer
{
    [LoggerMessage(2510, LogLevel.Information, "IMAP proxy listening on {Endpoints}")]
    private static partial void LogListening(ILogger logger, string endpoints);

    [LoggerMessage(2511, LogLevel.Information, "IMAP proxy off (Continuity:Listeners:Imap and Imaps are 0)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(2512, LogLevel.Warning, "IMAP connection from {Client} refused: MaxSessions reached")]
    private static partial void LogBusy(ILogger logger, string client);

    [LoggerMessage(2514, LogLevel.Warning, "IMAP connection from {Client} refused: it has {Limit} connections not yet logged in (Mail:Access:MaxPreLoginConnectionsPerAddress)")]
    private static partial void LogTooManyFromAddress(ILogger logger, string client, int limit);

    [LoggerMessage(2513, LogLevel.Error, "IMAP session failed unexpectedly")]
    private static partial void LogSessionFailed(ILogger logger, Exception exception);
}
