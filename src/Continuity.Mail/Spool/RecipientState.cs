namespace Continuity.Mail.Spool;

internal sealed class RecipientState(SpoolRecipient recipient)
{
    public SpoolRecipient Recipient { get; } = recipient;

    public TargetState Main { get; } = new();

    public TargetState Copy { get; } = new();

    public TargetState Get(TargetKind kind) => kind == TargetKind.Main ? Main : Copy;
}
