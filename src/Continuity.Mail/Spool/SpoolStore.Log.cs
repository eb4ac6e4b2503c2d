namespace Continuity.Mail.Spool;

internal sealed partial class SpoolStore
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Spool file {Path} cannot be read; left in place for an operator")]
        public static partial void Unreadable(ILogger logger, string path, Exception exception);
    }
}
