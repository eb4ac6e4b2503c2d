namespace Continuity.Mail.Sync;

/// <summary>One user's mailbox sync as the admin API, CLI and health see it.</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="User">User address, lower case.</param>
/// <param name="LastRunStarted">Start of the last run (successful or not).</param>
/// <param name="LastSuccess">Start of the last run that finished without error: the copy holds everything the source held then.</param>
/// <param name="LastDirection"><c>forward</c> (primary → sovereign) or <c>failback</c> (sovereign → primary).</param>
/// <param name="MessagesCopied">Messages copied by the last run.</param>
/// <param name="TotalCopied">Messages copied by all runs recorded here.</param>
/// <param name="FlagsUpdated">Messages whose flags the last run changed.</param>
/// <param name="LastError">Error of the last run, or null when it succeeded. Never contains credentials.</param>
/// <param name="Warnings">Messages the last run could not copy whole, with the reason (too big, refused flags, …).</param>
/// <param name="FailbackPending">True while a failback (sovereign → primary) waits or runs.</param>
/// <param name="KeywordsDropped">Flags and keywords the last run left off copies because the destination does not store them (each in the log with its reason).</param>
/// <param name="TotalKeywordsDropped">The same over all runs recorded here.</param>
public sealed record UserSyncState(
    string Tenant,
    string User,
    DateTimeOffset? LastRunStarted,
    DateTimeOffset? LastSuccess,
    string? LastDirection,
    int MessagesCopied,
    long TotalCopied,
    int FlagsUpdated,
    string? LastError,
    IReadOnlyList<string> Warnings,
    bool FailbackPending,
    int KeywordsDropped = 0,
    long TotalKeywordsDropped = 0)
{
    /// <summary>How far the sovereign copy may lag behind the primary at <paramref name="now"/> (null: never synced).</summary>
    public TimeSpan? Lag(DateTimeOffset now) => LastSuccess is { } success ? now - success : null;
}
