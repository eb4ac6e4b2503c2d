namespace Continuity.Mail.Sync;

/// <summary>One tenant's sync settings (<c>Continuity:Mail:Sync:Tenants:{id}</c>).</summary>
public sealed class MailboxSyncTenantOptions
{
    /// <summary>Default true: listing a tenant turns sync on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// What a message expunged on the source does to its copy. Default <see cref="DeletionPolicy.Keep"/>: the copy is
    /// for continuity, so a deletion (or a provider wiping a sanctioned mailbox) must not reach it unless asked.
    /// </summary>
    public DeletionPolicy Deletions { get; set; } = DeletionPolicy.Keep;
}
