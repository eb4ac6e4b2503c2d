namespace Continuity.Mail.Sync;

/// <summary>
/// Test seam for the one moment a crash is hardest to survive: after the destination accepted an APPEND and before
/// the checkpoint recorded it. Production code never sets it.
/// </summary>
internal sealed class SyncHooks
{
    /// <summary>Called with the folder and the source UIDs just appended, before the checkpoint write.</summary>
    public Func<FolderKey, IReadOnlyList<uint>, Task>? AfterAppend { get; init; }
}
