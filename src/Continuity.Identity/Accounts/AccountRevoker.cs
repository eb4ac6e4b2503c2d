using Continuity.Core.Audit;
using Continuity.Identity.Stores;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Ends everything a user holds at the gateway, on every node: their gateway sessions (a "revoked at"
/// instant in the store that <see cref="SessionValidation"/> checks on each request), their authorizations
/// and every token issued to them (codes, access and refresh tokens: found through the stores' subject
/// index, so a refresh token fails at any node). Audited with the counts.
/// </summary>
internal sealed partial class AccountRevoker(
    AccountStore accounts,
    SessionRevocations sessions,
    IOpenIddictTokenStore<IdentityToken> tokens,
    IOpenIddictAuthorizationStore<IdentityAuthorization> authorizations,
    AuditLog audit,
    TimeProvider time,
    ILogger<AccountRevoker> logger)
{
    public const string AuditAction = "identity.account.revoked";

    /// <summary>Null when the tenant has no account for <paramref name="email"/>.</summary>
    public async Task<AccountRevocation?> RevokeAsync(string actor, string tenant, string email, string reason, CancellationToken cancellationToken = default)
    {
        if (await accounts.FindByEmailAsync(tenant, email, cancellationToken) is not { } account)
        {
            return null;
        }

        // Sessions first: from this instant no node accepts the user's cookie, so no new code can be issued
        // while the tokens are being revoked. Once the first write is made, the rest finish even if the caller stops waiting.
        var at = time.GetUtcNow();
        await sessions.RevokeAsync(tenant, account.Id, at, cancellationToken);
        var authorizationCount = await authorizations.RevokeBySubjectAsync(account.Id, CancellationToken.None);
        var tokenCount = await tokens.RevokeBySubjectAsync(account.Id, CancellationToken.None);
        Log.Revoked(logger, tenant, account.Id, tokenCount, authorizationCount);
        var record = await audit.AppendAsync(new AuditEntry(actor, AuditAction, tenant, account.Email, null, null, reason,
            $"account {account.Id}: sessions before {at:o} ended, {tokenCount} token(s) and {authorizationCount} authorization(s) revoked"), CancellationToken.None);
        return new AccountRevocation(account, at, tokenCount, authorizationCount, record.Seq);
    }
}

/// <summary>What a revocation did.</summary>
internal sealed record AccountRevocation(Account Account, DateTimeOffset SessionsRevokedAt, long Tokens, long Authorizations, long AuditSeq);
