using Continuity.Identity.Accounts;

namespace Continuity.Gateway.Admin;

/// <summary>
/// An app password an admin made for another user while the tenant's two-person rule is on (issue 16, item 6): it was
/// created pending (no login accepts it; <see cref="ApprovalRequest.Payload"/> is its id) and becomes usable when a
/// second admin approves. Rejected or expired, it is removed. The approval is audited as <c>app_password.created</c>.
/// </summary>
internal sealed class AppPasswordApproval(AppPasswordStore passwords, AuditLog audit) : IApprovalAction
{
    public const string KindName = "app_password";

    public string Kind => KindName;

    public async Task<string> ApplyAsync(ApprovalRequest request, IReadOnlyList<string> approvedBy, CancellationToken cancellationToken)
    {
        var user = request.User!;
        if (!await passwords.ActivateAsync(user, request.Payload!, cancellationToken).ConfigureAwait(false))
        {
            throw new FailoverException(FailoverErrorKind.Conflict, $"App password '{request.Payload}' of {user} was revoked meanwhile; nothing to approve.");
        }

        await audit.AppendAsync(new AuditEntry(approvedBy[^1], "app_password.created", request.Tenant, user, Reason: request.Reason,
            Details: $"id {request.Payload}; request {request.Id} by {request.RequestedBy}; approved by {string.Join(", ", approvedBy)}"), CancellationToken.None).ConfigureAwait(false);
        return $"app password {request.Payload} is usable";
    }

    public Task CancelAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        passwords.RevokeAsync(request.User!, request.Payload!, cancellationToken);
}

/// <summary>
/// An account link import while the tenant's two-person rule is on (issue 16, item 6): a link decides whose account an
/// upstream identity signs in to, so a re-link is as strong as reading the mailbox. The file was checked when it was
/// posted and waits under the request's payload key (<see cref="ApprovalRequest.Payload"/> is <c>json</c> or <c>csv</c>);
/// the second admin's approval imports it, audited as <c>identity.links.imported</c> under the requester with the approvers.
/// </summary>
internal sealed class AccountImportApproval(AccountImporter importer, ApprovalStore approvals) : IApprovalAction
{
    public const string KindName = "account_import";

    public string Kind => KindName;

    public async Task<string> ApplyAsync(ApprovalRequest request, IReadOnlyList<string> approvedBy, CancellationToken cancellationToken)
    {
        var body = await approvals.GetPayloadAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new FailoverException(FailoverErrorKind.Conflict, $"The file of request {request.Id} is no longer stored; post the import again.");
        var outcome = await importer.ImportAsync(request.RequestedBy, request.Tenant, body, request.Payload == "json",
            $"request {request.Id}; approved by {string.Join(", ", approvedBy)}", cancellationToken).ConfigureAwait(false);
        if (outcome.Errors.Count > 0)
        {
            throw new FailoverException(FailoverErrorKind.Invalid, $"{outcome.Errors.Count} row(s) no longer fit the configuration (first: line {outcome.Errors[0].Line}: {outcome.Errors[0].Message}); nothing was imported.");
        }

        var summary = outcome.Summary;
        return $"imported: accounts created {summary.AccountsCreated}; links created {summary.LinksCreated}, existing {summary.LinksExisting}, conflicts {summary.Conflicts} (audit #{outcome.AuditSeq})";
    }

    public Task CancelAsync(ApprovalRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
