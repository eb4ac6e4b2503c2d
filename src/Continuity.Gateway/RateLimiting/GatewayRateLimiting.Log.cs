namespace Continuity.Gateway.RateLimiting;

internal static partial class GatewayRateLimiting
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 7901, Level = LogLevel.Information, Message = "Rate limit {Kind}: request from {Client} refused with 429 (at most {PermitLimit} per {Window})")]
        public static partial void Rejected(ILogger logger, string kind, string client, int permitLimit, TimeSpan window);
    }
}
