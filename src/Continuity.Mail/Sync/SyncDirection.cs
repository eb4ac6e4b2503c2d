namespace Continuity.Mail.Sync;

public enum SyncDirection
{
    /// <summary>Primary → sovereign: keeps the continuity copy.</summary>
    Forward,

    /// <summary>Sovereign → primary after the user's route returned to primary.</summary>
    Failback,
}
