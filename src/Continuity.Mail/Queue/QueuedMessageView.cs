namespace Continuity.Mail.Queue;

/// <summary>One spooled message as the admin API shows it (no message content).</summary>
public sealed record QueuedMessageView(
    string Id,
    string From,
    DateTimeOffset ReceivedAt,
    long Size,
    bool IsBounce,
    IReadOnlyList<QueuedRecipientView> Recipients);

/// <summary>One recipient's progress: <c>State</c> is pending, delivered, failed, held or dropped (for the copy).</summary>
public sealed record QueuedRecipientView(
    string Address,
    string DeliverTo,
    string? Tenant,
    string State,
    string? Provider,
    int Attempts,
    DateTimeOffset? NextAttempt,
    string? LastError,
    string? CopyState);
