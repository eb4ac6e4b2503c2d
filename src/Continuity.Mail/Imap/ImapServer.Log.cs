namespace Continuity.Mail.Imap;

internal sealed partial class ImapServer
{
    private static partial class Log
    {
        [LoggerMessage(2510, LogLevel.Information, "IMAP proxy listening on {Endpoints}")]
        public static partial void Listening(ILogger logger, string endpoints);

        [LoggerMessage(2511, LogLevel.Information, "IMAP proxy off (Continuity:Listeners:Imap and Imaps are 0)")]
        public static partial void Off(ILogger logger);

        [LoggerMessage(2512, LogLevel.Warning, "IMAP connection from {Client} refused: MaxSessions reached")]
        public static partial void Busy(ILogger logger, string client);

        [LoggerMessage(2514, LogLevel.Warning, "IMAP connection from {Client} refused: it has {Limit} connections not yet logged in (Mail:Access:MaxPreLoginConnectionsPerAddress)")]
        public static partial void TooManyFromAddress(ILogger logger, string client, int limit);

        [LoggerMessage(2513, LogLevel.Error, "IMAP session failed unexpectedly")]
        public static partial void SessionFailed(ILogger logger, Exception exception);
    }
}
