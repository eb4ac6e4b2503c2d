namespace Continuity.Mail.Smtp;

internal sealed partial class MxServer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "MX listening on {Endpoints}")]
        public static partial void Listening(ILogger logger, string endpoints);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "MX listener off (Continuity:Listeners:Smtp is 0)")]
        public static partial void Off(ILogger logger);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "SMTP session ended with an error")]
        public static partial void SessionFaulted(ILogger logger, Exception exception);
    }
}
