namespace Continuity.Mail.Queue;

public sealed partial class MailQueue
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Queue: {Count} recipient(s) of message {Id} deleted by an admin of tenant {Tenant} (message removed: {Removed})")]
        public static partial void Deleted(ILogger logger, string id, int count, string tenant, bool removed);
    }
}
