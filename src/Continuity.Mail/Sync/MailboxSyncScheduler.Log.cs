namespace Continuity.Mail.Sync;

internal sealed partial class MailboxSyncScheduler
{
    private static partial class Log
    {
        [LoggerMessage(2330, LogLevel.Warning, "Mailbox sync scheduler: state store unreachable; retrying on the next tick")]
        public static partial void StoreUnavailable(ILogger logger);

        [LoggerMessage(2331, LogLevel.Information, "Mailbox sync {Tenant}/{User}: route returned to primary; failback (sovereign → primary) queued")]
        public static partial void FailbackQueued(ILogger logger, string tenant, string user);

        [LoggerMessage(2332, LogLevel.Error, "Mailbox sync {Tenant}/{User}: job failed: {Error}: {Message}")]
        public static partial void JobFailed(ILogger logger, string tenant, string user, string error, string message);

        [LoggerMessage(2333, LogLevel.Error, "Mailbox sync {Tenant}/{User}: job failed unexpectedly; the next run resumes from the checkpoints")]
        public static partial void JobCrashed(ILogger logger, string tenant, string user, Exception exception);
    }
}
