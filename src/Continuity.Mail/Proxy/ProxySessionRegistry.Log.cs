namespace Continuity.Mail.Proxy;

internal sealed partial class ProxySessionRegistry
{
    private static partial class Log
    {
        [LoggerMessage(2710, LogLevel.Information, "Route of {User} moved from {From} to {To}: closing its {Protocol} session")]
        public static partial void Closing(ILogger logger, string protocol, string user, string from, string to);
    }
}
