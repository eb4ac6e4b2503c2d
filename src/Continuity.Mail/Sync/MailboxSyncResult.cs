namespace Continuity.Mail.Sync;

/// <summary>What one run did to one user's mailbox.</summary>
public sealed class MailboxSyncResult(string tenant, string user, SyncDirection direction)
{
    public string Tenant { get; } = tenant;

    public string User { get; } = user;

    public SyncDirection Direction { get; } = direction;

    public List<FolderSyncResult> Folders { get; } = [];

    /// <summary>Error that stopped the whole run (connection, login), else null.</summary>
    public string? Error { get; set; }

    public int Copied => Folders.Sum(f => f.Copied);

    public int Matched => Folders.Sum(f => f.Matched);

    public int FlagsUpdated => Folders.Sum(f => f.FlagsUpdated);

    public int KeywordsDropped => Folders.Sum(f => f.KeywordsDropped);

    public int Deleted => Folders.Sum(f => f.Deleted);

    public IEnumerable<string> Warnings => Folders.SelectMany(f => f.Warnings);

    public bool Succeeded => Error is null && Folders.TrueForAll(f => f.Error is null);

    public FolderSyncResult Folder(string source) => Folders.Single(f => f.Source == source);
}
