namespace Continuity.Mail.Spool;

internal enum TargetStatus
{
    Pending,
    Delivered,

    /// <summary>Permanent failure (main only): goes into the bounce.</summary>
    Failed,

    /// <summary>The routed provider disabled the mailbox: waits for a route change.</summary>
    Held,

    /// <summary>A continuity copy that could not be delivered within the retry window; never bounced.</summary>
    Dropped,

    /// <summary>Removed from the queue by an admin of the recipient's tenant: never delivered, never bounced.</summary>
    Deleted,
}
