namespace Continuity.Mail.Sync;

/// <summary>
/// Where the primary → sovereign copy of one folder stands.
/// </summary>
/// <param name="SrcValidity">UIDVALIDITY of the source folder the UIDs below belong to (0: never synced).</param>
/// <param name="DstValidity">UIDVALIDITY of the destination folder the mapped UIDs belong to.</param>
/// <param name="DstFolder">Destination folder full name.</param>
/// <param name="LastUid">Every source UID up to this one is copied, matched or recorded as failed.</param>
/// <param name="ModSeq">Source HIGHESTMODSEQ up to which flag changes are carried over (0: none yet: full flag scan).</param>
/// <param name="DstModSeq">Destination HIGHESTMODSEQ after the last run: later destination changes were made by the user there.</param>
/// <param name="DstSeen">Destination UIDs up to this one were looked at for copies this sync did not make (continuity copies, leftovers of a crash).</param>
internal sealed record FolderCheckpoint(uint SrcValidity, uint DstValidity, string DstFolder, uint LastUid, ulong ModSeq, ulong DstModSeq, uint DstSeen)
{
    public static FolderCheckpoint Fresh(uint srcValidity, uint dstValidity, string dstFolder) =>
        new(srcValidity, dstValidity, dstFolder, 0, 0, 0, 0);
}
