namespace Continuity.Core.Approvals;

public enum ApprovalStatus
{
    Pending,
    Applied,
    Rejected,
    Expired,

    /// <summary>Approved, but applying the route change failed (the error is in <see cref="ApprovalRequest.Decision"/>).</summary>
    Failed,
}

/// <summary>
/// A change waiting for admins (two-person rule): a route change (an admin's, or one suggested by a cut-off signal), or,
/// with <see cref="Kind"/> set, another change that opens someone else's mailbox or identity (an app password for another
/// user, an account link import), applied by the <see cref="IApprovalAction"/> of that kind once approved.
/// </summary>
/// <param name="RequestedBy">The admin who asked, or <c>signal:&lt;source&gt;</c>.</param>
/// <param name="ApprovedBy">Admins who agreed so far; a requesting admin counts as the first.</param>
/// <param name="Evidence">For suggestions raised by a signal: what was seen.</param>
/// <param name="Kind">Null for a route change; else the <see cref="IApprovalAction.Kind"/> that applies it (From and To are empty).</param>
/// <param name="Payload">What that action needs to apply it (small; a large one lives under the request's payload key).</param>
public sealed record ApprovalRequest(
    string Id,
    string Tenant,
    string? User,
    string From,
    string To,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    int RequiredApprovals,
    IReadOnlyList<string> ApprovedBy,
    ApprovalStatus Status,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Decision = null,
    long? AppliedVersion = null,
    string? Evidence = null,
    string? Kind = null,
    string? Payload = null);
