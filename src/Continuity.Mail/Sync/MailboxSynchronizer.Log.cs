namespace Continuity.Mail.Sync;

internal sealed partial class MailboxSynchronizer
{
    private static partial class Log
    {
        [LoggerMessage(2310, LogLevel.Debug, "Mailbox sync {Tenant}/{User} {Direction}: {From} → {To}")]
        public static partial void Starting(ILogger logger, string tenant, string user, SyncDirection direction, string from, string to);

        [LoggerMessage(2311, LogLevel.Information, "Mailbox sync {Tenant}/{User} {Direction}: {Copied} copied, {Matched} matched to existing copies, {Flags} flag updates, {Deleted} expunged, {Warnings} warning(s)")]
        public static partial void Finished(ILogger logger, string tenant, string user, SyncDirection direction, int copied, int matched, int flags, int deleted, int warnings);

        [LoggerMessage(2312, LogLevel.Error, "Mailbox sync {Tenant}/{User} folder {Folder} failed: {Error}: {Message}")]
        public static partial void FolderFailed(ILogger logger, string tenant, string user, string folder, string error, string message);
    }
}
