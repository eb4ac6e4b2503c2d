namespace Continuity.Mail.Bounces;

internal sealed partial class BounceSpooler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "{Id}: bounce {BounceId} spooled for {Count} failed recipient(s)")]
        public static partial void Bounced(ILogger logger, string id, string bounceId, int count);

        [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "{Id}: {Count} recipient(s) failed; no bounce (null or bounce sender)")]
        public static partial void NoBounce(ILogger logger, string id, int count);
    }
}
