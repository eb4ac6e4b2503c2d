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

/// <summary>A route change waiting for admins (two-person rule) or suggested by a cut-off signal.</summary>
/// <param name="RequestedBy">The admin who asked, or <c>signal:&lt;source&gt;</c>.</param>
/// <param name="ApprovedBy">Admins who agreed so far; a requesting admin counts as the first.</param>
/// <param name="Evidence">For suggestions raised by a signal: what was seen.</param>
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
    string? Evidence = null);
