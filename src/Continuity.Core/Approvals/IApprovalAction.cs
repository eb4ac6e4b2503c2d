namespace Continuity.Core.Approvals;

/// <summary>
/// A change other than a route change that waits for the two-person rule (<see cref="ApprovalRequest.Kind"/>): the admin
/// API creates the request through <c>FailoverService.RequestActionAsync</c>; the last approval calls
/// <see cref="ApplyAsync"/>, a rejection or expiry <see cref="CancelAsync"/>. Each writes its own audit record.
/// </summary>
public interface IApprovalAction
{
    /// <summary>The <see cref="ApprovalRequest.Kind"/> this action applies, e.g. <c>app_password</c>.</summary>
    string Kind { get; }

    /// <summary>Applies the approved request; returns the decision text kept on the request.</summary>
    Task<string> ApplyAsync(ApprovalRequest request, IReadOnlyList<string> approvedBy, CancellationToken cancellationToken);

    /// <summary>Undoes what the request holds in waiting (a password made unusable until approved is removed).</summary>
    Task CancelAsync(ApprovalRequest request, CancellationToken cancellationToken);
}
