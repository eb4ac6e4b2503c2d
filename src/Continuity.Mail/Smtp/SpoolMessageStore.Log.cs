namespace Continuity.Mail.Smtp;

internal sealed partial class SpoolMessageStore
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Queued {Id}: {Recipients} recipient(s), {Bytes} bytes")]
        public static partial void Queued(ILogger logger, string id, int recipients, long bytes);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Could not spool a message; answered 451")]
        public static partial void SpoolFailed(ILogger logger, Exception exception);
    }
}
