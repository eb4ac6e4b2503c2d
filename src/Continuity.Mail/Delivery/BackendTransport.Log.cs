namespace Continuity.Mail.Delivery;

internal sealed partial class BackendTransport
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Backend {Backend} failed: {Reason}")]
        public static partial void BackendFailed(ILogger logger, string backend, string reason);
    }
}
