namespace Continuity.Gateway.Telemetry;

internal sealed partial class StoreMetricsRefresher
{
    private static partial class Log
    {
        [LoggerMessage(7101, LogLevel.Warning, "Sampling the store-backed metrics failed: {Error}; the next interval tries again")]
        public static partial void Failed(ILogger logger, string error);
    }
}
