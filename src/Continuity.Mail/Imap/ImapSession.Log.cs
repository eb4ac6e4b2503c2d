using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Imap;

internal sealed partial class ImapSession
{
    [LoggerMessage(2501, LogLevel.Debug, "IMAP connection from {Client} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string client, string reason);

    [LoggerMessage(2502, LogLevel.Warning, "IMAP backend {Backend} of {Provider} refused {User}: {Evidence}")]
    private static partial void LogBackendRefused(ILogger logger, string backend, string provider, string user, string evidence);

    [LoggerMessage(2503, LogLevel.Warning, "IMAP backend {Backend} of {Provider} unreachable for {User}: {Evidence}")]
    private static partial void LogBackendUnreachable(ILogger logger, string backend, string provider, string user, string evidence);

    [LoggerMessage(2504, LogLevel.Information, "IMAP session of {User} on {Provider} ended: {End}")]
    private static partial void LogSpliceEnded(ILogger logger, string user, string provider, Proxy.SpliceEnd end);

    [LoggerMessage(2505, LogLevel.Error, "Cut-off signal for {User} could not be raised")]
    private static partial void LogSignalFailed(ILogger logger, string user, Exception exception);

    [LoggerMessage(2506, LogLevel.Error, "IMAP login of {User} on {Provider} not attempted: no app token for the provider's mail backend: {Evidence}")]
    private static partial void LogNoAppToken(ILogger logger, string provider, string user, string evidence);
}
