using Continuity.Core.Audit;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Maps an upstream identity to the gateway account. An existing link always maps. A new link is
/// made only from a provider trusted for the tenant, with <c>email_verified = true</c> and an address
/// in the tenant's domains; a second subject of the same upstream claiming a linked address is
/// refused. Every new link and every refusal is audited.
/// </summary>
internal sealed partial class AccountLinker(
    AccountStore accounts,
    AuditLog audit,
    IOptions<ContinuityOptions> continuity,
    IOptions<IdentityOptions> identity,
    ILogger<AccountLinker> logger)
{
    private const string Actor = "identity";

    public async Task<LinkResult> ResolveAsync(UpstreamIdentity upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (await accounts.FindByLinkAsync(upstream.Tenant, upstream.Provider, upstream.Issuer, upstream.Subject, cancellationToken) is { } linked)
        {
            return new LinkResult(LinkOutcome.Existing, linked);
        }

        if (RefusalReason(upstream) is { } reason)
        {
            Log.Refused(logger, upstream.Tenant, upstream.Provider, reason);
            await audit.AppendAsync(new AuditEntry(Actor, "identity.link.refused", upstream.Tenant, upstream.Email?.ToLowerInvariant(),
                upstream.Provider, null, reason, $"upstream issuer {upstream.Issuer}"), cancellationToken);
            return new LinkResult(LinkOutcome.NotLinkable, null, reason);
        }

        var result = await accounts.LinkAsync(upstream.Tenant, upstream.Provider, upstream.Issuer, upstream.Subject, upstream.Email!, upstream.Name, cancellationToken);
        switch (result.Outcome)
        {
            case LinkOutcome.Created:
                Log.Linked(logger, upstream.Tenant, upstream.Provider, result.Account!.Id);
                await audit.AppendAsync(new AuditEntry(Actor, "identity.link.created", upstream.Tenant, result.Account.Email,
                    upstream.Provider, result.Account.Id, "first login with a verified address", $"upstream issuer {upstream.Issuer}"), CancellationToken.None);
                break;
            case LinkOutcome.Conflict:
                const string conflict = "the address is already linked to another subject of this upstream";
                Log.Refused(logger, upstream.Tenant, upstream.Provider, conflict);
                await audit.AppendAsync(new AuditEntry(Actor, "identity.link.refused", upstream.Tenant, upstream.Email!.ToLowerInvariant(),
                    upstream.Provider, null, conflict, $"upstream issuer {upstream.Issuer}"), CancellationToken.None);
                return result with { Account = null, Reason = conflict };
        }

        return result;
    }

    private string? RefusalReason(UpstreamIdentity upstream)
    {
        if (!continuity.Value.Tenants.TryGetValue(upstream.Tenant, out var tenant))
        {
            return "unknown tenant";
        }

        var trusted = identity.Value.Tenants.GetValueOrDefault(upstream.Tenant)?.TrustedProviders;
        if (trusted is not null && !trusted.Contains(upstream.Provider, StringComparer.OrdinalIgnoreCase))
        {
            return "the provider may not create links for this tenant";
        }

        if (string.IsNullOrEmpty(upstream.Email))
        {
            return "the upstream sent no email address";
        }

        if (!upstream.EmailVerified)
        {
            return "the upstream's email address is not verified";
        }

        return tenant.OwnsAddress(upstream.Email) ? null : "the address is not in the tenant's domains";
    }
}
