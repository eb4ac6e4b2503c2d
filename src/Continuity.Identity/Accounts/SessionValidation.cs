using Microsoft.AspNetCore.Authentication.Cookies;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Checks each gateway session cookie against the account's "sessions revoked at" instant in the store
/// (through this node's short cache, <see cref="SessionRevocations"/>, dropped at once on a revocation): a session started at or before it is rejected and its cookie
/// removed, on whichever node sees it. When the store is unreachable the cookie is accepted (fail-static,
/// as routing is): an outage must not sign everybody out.
/// </summary>
internal sealed partial class SessionValidation(SessionRevocations revocations, ILogger<SessionValidation> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal?.FindFirst(IdentityDefaults.TenantClaim)?.Value is not { } tenant || principal.FindFirst(Claims.Subject)?.Value is not { } account)
        {
            return;
        }

        DateTimeOffset? revokedAt;
        try
        {
            revokedAt = await revocations.GetRevokedAtAsync(tenant, account, context.HttpContext.RequestAborted);
        }
        catch (StateUnavailableException)
        {
            Log.Unchecked(logger, tenant, account);
            return;
        }

        if (revokedAt is null)
        {
            return;
        }

        var started = long.TryParse(principal.FindFirst(IdentityDefaults.SessionStartedClaim)?.Value, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : context.Properties.IssuedUtc;
        if (started is null || started <= revokedAt)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityDefaults.CookieScheme);
        }
    }
}
