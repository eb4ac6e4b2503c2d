namespace Continuity.Mail.Proxy;

internal sealed partial class MailLogin
{
    private static partial class Log
    {
        [LoggerMessage(2701, LogLevel.Information, "{Protocol} login: {User} from {Client} routed to {Provider}")]
        public static partial void Succeeded(ILogger logger, string protocol, string user, string client, string provider);

        [LoggerMessage(2702, LogLevel.Warning, "{Protocol} login failed: {User} from {Client}")]
        public static partial void Failed(ILogger logger, string protocol, string user, string client);

        [LoggerMessage(2703, LogLevel.Warning, "{Protocol} login refused by the throttle: {User} from {Client}")]
        public static partial void Throttled(ILogger logger, string protocol, string user, string client);

        [LoggerMessage(2704, LogLevel.Error, "{Protocol} login for {User} from {Client} refused: state store unreachable")]
        public static partial void StoreDown(ILogger logger, string protocol, string user, string client);
    }
}
