namespace Continuity.Mail.Queue;

/// <summary>What <see cref="MailQueue.DeleteAsync"/> did, and the addresses it deleted.</summary>
public sealed record QueueDeletion(QueueDeletionOutcome Outcome, IReadOnlyList<string> Recipients);

public enum QueueDeletionOutcome
{
    /// <summary>The caller's recipients are deleted.</summary>
    Deleted,

    /// <summary>No such message, or none of its recipients is the caller's (the same answer: nothing is told about other tenants).</summary>
    NotFound,

    /// <summary>A delivery of the message is running right now; try again.</summary>
    Busy,
}
