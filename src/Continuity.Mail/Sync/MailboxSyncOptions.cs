namespace Continuity.Mail.Sync;

/// <summary>
/// Mailbox sync (primary → sovereign, and sovereign → primary after failback), bound from <c>Continuity:Mail:Sync</c>.
/// A tenant is synced only when it is listed under <see cref="Tenants"/> with <c>Enabled</c> true; its source is the
/// tenant's <c>DefaultProvider</c>, its copy the tenant's sovereign provider, each reached through
/// <c>Providers:*:Mail:Imap</c> and <c>Mail:Login:Master</c> / <c>MasterPassword</c>.
/// </summary>
public sealed class MailboxSyncOptions
{
    public const string SectionName = "Continuity:Mail:Sync";

    /// <summary>Tenants to sync, by tenant id. Default: none (sync is opt-in per tenant).</summary>
    public Dictionary<string, MailboxSyncTenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How often every user routed to primary is synced. Default 30 s: with a run taking a few seconds, new mail
    /// reaches the sovereign copy well within <see cref="MaxLag"/>.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lag above which a user's copy is reported as stale (status, health). Default 60 s, the bound.</summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Users synced at the same time on this node. Default 4: sync is I/O-bound, and the machine is shared.</summary>
    public int MaxParallelUsers { get; set; } = 4;

    /// <summary>
    /// Sessions per IMAP backend (host:port) at the same time on this node. Default 2, well below Dovecot's default
    /// <c>mail_max_userip_connections</c> (10) and polite to hosted providers' per-tenant throttles.
    /// </summary>
    public int MaxParallelPerBackend { get; set; } = 2;

    /// <summary>UIDs fetched (summaries, flags) per command. Default 500: bounded memory for 100k-message folders.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Messages sent in one MULTIAPPEND. Default 50.</summary>
    public int AppendBatchSize { get; set; } = 50;

    /// <summary>Bytes of message bodies held for one MULTIAPPEND. Default 16 MiB; a larger message goes alone.</summary>
    public long AppendBatchBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Connect and command timeout of each IMAP session. Default 2 minutes (a 30 MB APPEND on a slow link).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one node holds a user's sync lease in the state store (a crashed node's lease frees itself after this).
    /// Default 10 minutes; renewed between batches (at most every quarter lease) and folders.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Source folder full name → destination full name, for names SPECIAL-USE does not cover. Default: none.</summary>
    public Dictionary<string, string> FolderMappings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Source folders not synced: full names, or a prefix ending in <c>*</c> (<c>Shared/*</c>). Default: none.
    /// </summary>
    public List<string> ExcludedFolders { get; set; } = [];
}
