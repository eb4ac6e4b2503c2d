using System.Text.Encodings.Web;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.AdminSignIn;

/// <summary>
/// Admin API authentication from the gateway's own session cookie: the signed-in user's address is
/// looked up in <c>Continuity:Tenants:{tenant}:Admins</c> of the session's tenant. An admin gets the
/// claims the API-key handler gives (<see cref="ClaimTypes.Name"/> = address, tenant, role); a signed-in
/// user who is not an admin is authenticated without a role, so a policy requiring the role answers 403
/// (not a login prompt). The session is the one the login page made (through the tenant's upstream), so
/// it is revoked with the account (<see cref="Accounts.SessionValidation"/>).
/// </summary>
internal sealed class AdminSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<ContinuityOptions> continuity)
    : AdminApiHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var session = await Context.AuthenticateAsync(IdentityDefaults.CookieScheme);
        if (!session.Succeeded || session.Principal is not { } user
            || user.FindFirst(IdentityDefaults.TenantClaim)?.Value is not { Length: > 0 } tenant
            || user.FindFirst(Claims.Email)?.Value is not { Length: > 0 } email)
        {
            return AuthenticateResult.NoResult();
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, email), new(AdminSignInDefaults.TenantClaim, tenant) };
        if (continuity.Value.Tenants.GetValueOrDefault(tenant)?.Admins.GetValueOrDefault(email) is { } admin)
        {
            claims.Add(new Claim(AdminSignInDefaults.RoleClaim, admin.Role.ToString()));
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
