using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Proxy;

internal sealed partial class MailLogin
{
    [LoggerMessage(2701, LogLevel.Information, "{Protocol} login: {User} from {Client} routed to {Provider}")]
    private static partial void LogSucceeded(ILogger logger, string protocol, string user, string client, string provider);

    [LoggerMessage(2702, LogLevel.Warning, "{Protocol} login failed: {User} from {Client}")]
    private static partial void LogFailed(ILogger logger, string protocol, string user, string client);

    [LoggerMessage(2703, LogLevel.Warning, "{Protocol} login refused by the throttle: {User} from {Client}")]
    private static partial void LogThrottled(ILogger logger, string protocol, string user, string client);

    [LoggerMessage(2704, LogLevel.Error, "{Protocol} login for {User} refused: state store unreachable")]
    private static partial void LogStoreDown(ILogger logger, string protocol, string user);
}
