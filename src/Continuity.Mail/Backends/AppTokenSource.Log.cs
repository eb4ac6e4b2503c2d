namespace Continuity.Mail.Backends;

internal sealed partial class AppTokenSource
{
    private static partial class Log
    {
        [LoggerMessage(2334, LogLevel.Debug, "Mail backend app token for {Tenant}/{Provider} fetched (valid {Seconds} s)")]
        public static partial void Fetched(ILogger logger, string tenant, string provider, int seconds);
    }
}
