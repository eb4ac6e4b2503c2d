namespace Continuity.Mail.Imap;

internal sealed partial class ImapSession
{
    private static partial class Log
    {
        [LoggerMessage(2501, LogLevel.Debug, "IMAP connection from {Client} ended: {Reason}")]
        public static partial void Ended(ILogger logger, string client, string reason);

        [LoggerMessage(2502, LogLevel.Warning, "IMAP backend {Backend} of {Provider} refused {User}: {Evidence}")]
        public static partial void BackendRefused(ILogger logger, string backend, string provider, string user, string evidence);

        [LoggerMessage(2503, LogLevel.Warning, "IMAP backend {Backend} of {Provider} unreachable for {User}: {Evidence}")]
        public static partial void BackendUnreachable(ILogger logger, string backend, string provider, string user, string evidence);

        [LoggerMessage(2504, LogLevel.Information, "IMAP session of {User} on {Provider} ended: {End}")]
        public static partial void SpliceEnded(ILogger logger, string user, string provider, Proxy.SpliceEnd end);

        [LoggerMessage(2505, LogLevel.Error, "Cut-off signal for {User} could not be raised")]
        public static partial void SignalFailed(ILogger logger, string user, Exception exception);

        [LoggerMessage(2506, LogLevel.Error, "IMAP login of {User} on {Provider} not attempted: no app token for the provider's mail backend: {Evidence}")]
        public static partial void NoAppToken(ILogger logger, string provider, string user, string evidence);
    }
}
