namespace Continuity.Mail.Spool;

internal sealed class RecipientState(SpoolRecipient recipient)
{
    public SpoolRecipient Recipient { get; } = recipient;

    public TargetState Main { get; } = new();

    public TargetState Copy { get; } = new();

    /// <summary>Set by a queue operation: retry this recipient's pending and held targets at once.</summary>
    public bool RetryNow { get; set; }

    /// <summary>An admin of the recipient's tenant deleted it from the queue (journal <c>A</c>): no queue view shows it again.</summary>
    public bool IsDeleted { get; private set; }

    public TargetState Get(TargetKind kind) => kind == TargetKind.Main ? Main : Copy;

    /// <summary>
    /// What an admin's delete does to one recipient: a main still pending or held and a copy still pending become
    /// <see cref="TargetStatus.Deleted"/>; what was delivered or failed stays as it was (a failure is still bounced).
    /// </summary>
    public void Delete()
    {
        IsDeleted = true;
        if (Main.Status is TargetStatus.Pending or TargetStatus.Held)
        {
            Main.Status = TargetStatus.Deleted;
        }

        if (Copy.Status == TargetStatus.Pending)
        {
            Copy.Status = TargetStatus.Deleted;
        }
    }
}
