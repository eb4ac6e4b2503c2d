namespace Continuity.Mail.Smtp;

internal sealed partial class MxEndpointListener
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "MX connection from {Client} refused: it has {Limit} open already (Limits:MaxConnectionsPerAddress)")]
        public static partial void TooMany(ILogger logger, string client, int limit);
    }
}
