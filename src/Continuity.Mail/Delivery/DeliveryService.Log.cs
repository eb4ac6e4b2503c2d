namespace Continuity.Mail.Delivery;

internal sealed partial class DeliveryService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Recovered {Count} spooled message(s) from {Spool}")]
        public static partial void Recovered(ILogger logger, int count, string spool);

        [LoggerMessage(EventId = 1702, Level = LogLevel.Error, Message = "{Id}: delivery pass failed; retrying later")]
        public static partial void PassFailed(ILogger logger, string id, Exception exception);
    }
}
