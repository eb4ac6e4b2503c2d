namespace Continuity.Mail.Spool;

/// <summary>Progress of one delivery (main or copy) of one recipient. Mutated only by the delivery scheduler.</summary>
internal sealed class TargetState
{
    public TargetStatus Status { get; set; }

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Earliest time of the next attempt (while <see cref="TargetStatus.Pending"/>).</summary>
    public DateTimeOffset NextAttempt { get; set; }

    /// <summary>Provider it was delivered to, or that holds it (<see cref="TargetStatus.Held"/>).</summary>
    public string? Provider { get; set; }

    /// <summary>Last backend reply or error, for the queue view and the bounce.</summary>
    public string? LastError { get; set; }

    /// <summary>
    /// Journal <c>P</c> without a later outcome: the final dot may have reached <see cref="AttemptProvider"/>, which
    /// may hold a copy the journal does not know of. The next pass asks that provider before delivering again.
    /// </summary>
    public bool AttemptOpen { get; set; }

    /// <summary>The provider of the open attempt (the route may have moved since).</summary>
    public string? AttemptProvider { get; set; }

    public bool IsFinal => Status is TargetStatus.Delivered or TargetStatus.Failed or TargetStatus.Dropped or TargetStatus.Deleted;
}
