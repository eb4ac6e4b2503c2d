namespace Continuity.Mail.Sync;

internal sealed partial class MailboxSyncRunner
{
    private static partial class Log
    {
        [LoggerMessage(2320, LogLevel.Debug, "Mailbox sync {Tenant}/{User}: another node holds the lease; skipped")]
        public static partial void Leased(ILogger logger, string tenant, string user);

        [LoggerMessage(2321, LogLevel.Warning, "Mailbox sync {Tenant}/{User} {Direction} failed; the next run resumes from the checkpoints: {Error}")]
        public static partial void Failed(ILogger logger, string tenant, string user, SyncDirection direction, string error);

        [LoggerMessage(2322, LogLevel.Warning, "Mailbox sync {Tenant}/{User}: the lease could not be released ({Error}); it ends by its TTL")]
        public static partial void ReleaseFailed(ILogger logger, string tenant, string user, string error);
    }
}
