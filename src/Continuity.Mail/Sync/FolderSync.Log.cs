namespace Continuity.Mail.Sync;

internal sealed partial class FolderSync
{
    private static partial class Log
    {
        [LoggerMessage(2300, LogLevel.Warning, "Mailbox sync {Tenant}/{User} folder {Folder}: UIDVALIDITY changed (source {OldSource} → {NewSource}, destination {OldDestination} → {NewDestination}); re-scanning and matching existing copies by Message-ID / content hash")]
        public static partial void Rescan(ILogger logger, string tenant, string user, string folder, uint oldSource, uint newSource, uint oldDestination, uint newDestination);

        [LoggerMessage(2301, LogLevel.Warning, "Mailbox sync {Tenant}/{User}: {Problem}")]
        public static partial void MessageWarning(ILogger logger, string tenant, string user, string problem);

        [LoggerMessage(2302, LogLevel.Information, "Mailbox sync {Tenant}/{User}: expunged {Count} message(s) from {Folder} whose source was expunged (policy Delete)")]
        public static partial void Expunged(ILogger logger, string tenant, string user, string folder, int count);
    }
}
