namespace Continuity.Mail.Sync;

/// <summary>Changes to one folder's checkpoint written as one transaction: mappings, foreign copies, failures, state.</summary>
internal sealed class CheckpointUpdate
{
    /// <summary>Source UID → destination UID made or matched.</summary>
    public Dictionary<uint, uint> Mapped { get; } = [];

    /// <summary>Mappings to forget: source UID → destination UID.</summary>
    public Dictionary<uint, uint> Unmapped { get; } = [];

    /// <summary>Message key → destination UIDs still unclaimed (empty list: remove the key).</summary>
    public Dictionary<string, List<uint>> Foreign { get; } = new(StringComparer.Ordinal);

    /// <summary>Source UID → reason it could not be copied (retried every run).</summary>
    public Dictionary<uint, string> Failed { get; } = [];

    /// <summary>Source UIDs no longer failed.</summary>
    public HashSet<uint> Recovered { get; } = [];

    /// <summary>The checkpoint state after this update, or null to leave it.</summary>
    public FolderCheckpoint? State { get; set; }

    public bool IsEmpty => Mapped.Count == 0 && Unmapped.Count == 0 && Foreign.Count == 0 && Failed.Count == 0 && Recovered.Count == 0 && State is null;
}
