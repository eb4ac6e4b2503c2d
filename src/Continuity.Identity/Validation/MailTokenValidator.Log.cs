namespace Continuity.Identity.Validation;

internal sealed partial class MailTokenValidator
{
    private static partial class Log
    {
        [LoggerMessage(3601, LogLevel.Information, "Mail bearer token refused for {User}: {Reason}")]
        public static partial void Refused(ILogger logger, string user, string reason);
    }
}
