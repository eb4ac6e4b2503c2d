using Continuity.Core.Tenants;

namespace Continuity.Identity.Validation;

/// <summary>
/// Decides whether an access token may open a user's mailbox (OAUTHBEARER / XOAUTH2 at the IMAP and
/// submission proxy). Accepted only: a token OpenIddict validated (signed by the gateway, unexpired, not revoked), issued
/// by the issuer of the tenant that owns the login address, with the mail scope and audience, from an allowed client, whose
/// subject is the gateway account that owns the address (compared case-insensitively). The token never reaches a log.
/// </summary>
internal sealed partial class MailTokenValidator(
    AccessTokenReader reader,
    TenantDirectory tenants,
    IssuerDirectory issuers,
    AccountStore accounts,
    IOptions<AccessTokenOptions> options,
    ILogger<MailTokenValidator> logger)
{
    public async Task<bool> ValidateAsync(string user, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var address = user.Trim().ToLowerInvariant();
        if (tenants.FindByAddress(address) is not { } tenantId || issuers.FindByTenant(tenantId) is not { } tenant)
        {
            return Refuse(address, "the address is in no tenant with an issuer");
        }

        var (read, error) = await reader.ReadAsync(token, cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        var reason = read switch
        {
            null => "token not valid: " + error,
            _ when !read.IsFrom(tenant) => "token from another issuer or tenant",
            _ when !read.HasScope(settings.MailScope) => $"token without the '{settings.MailScope}' scope",
            _ when !read.HasAudience(settings.MailAudience) => $"token not for the audience '{settings.MailAudience}'",
            _ when settings.MailClients.Count > 0 && (read.Client is null || !settings.MailClients.Contains(read.Client, StringComparer.Ordinal)) =>
                $"client '{read.Client}' may not use mail",
            _ => null,
        };
        if (reason is not null)
        {
            return Refuse(address, reason);
        }

        var account = await accounts.FindByEmailAsync(tenantId, address, cancellationToken).ConfigureAwait(false);
        if (account is null || !string.Equals(account.Id, read!.Subject, StringComparison.Ordinal))
        {
            return Refuse(address, "the token's subject does not own the address");
        }

        return true;
    }

    private bool Refuse(string user, string reason)
    {
        Log.Refused(logger, user, reason);
        return false;
    }
}
