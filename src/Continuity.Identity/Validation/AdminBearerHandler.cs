using System.Text.Encodings.Web;
using Continuity.Identity.AdminSignIn;
using OpenIddict.Validation.AspNetCore;

namespace Continuity.Identity.Validation;

/// <summary>
/// Admin API authentication with an access token of the gateway's own server (<c>Authorization: Bearer &lt;jwt&gt;</c>),
/// validated by the OpenIddict validation scheme. A token with the admin scope, from one of the tenants' issuers, whose
/// subject is an account whose address is listed under the token tenant's <c>Admins</c>, gets the claims the API-key
/// handler gives (name = address, tenant, role from configuration). A valid token of anyone else (or without the scope)
/// is authenticated without a role, so the admin policy answers 403. Anything that is not a JWT (an API key) is left to
/// the API-key scheme.
/// </summary>
internal sealed partial class AdminBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ContinuityOptions> continuity,
    IOptions<AccessTokenOptions> tokens,
    AccountStore accounts)
    : AdminApiHandler(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.AsSpan(7).Count('.') != 2)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Principal is null)
        {
            return AuthenticateResult.Fail("The access token is not valid.");
        }

        var token = new GatewayAccessToken(result.Principal);
        if (token.Tenant is not { Length: > 0 } tenant || token.Subject is not { Length: > 0 } subject
            || continuity.Value.Tenants.GetValueOrDefault(tenant) is not { } tenantOptions)
        {
            return AuthenticateResult.Fail("The access token names no tenant or subject.");
        }

        var account = await accounts.FindByIdAsync(tenant, subject, Context.RequestAborted).ConfigureAwait(false);
        var name = account?.Email ?? subject;
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(AdminSignInDefaults.TenantClaim, tenant) };
        if (account is not null && token.HasScope(tokens.Value.AdminScope) && tenantOptions.Admins.GetValueOrDefault(account.Email) is { } admin)
        {
            claims.Add(new Claim(AdminSignInDefaults.RoleClaim, admin.Role.ToString()));
        }
        else
        {
            Log.NoRole(Logger, name, tenant);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
    }
}
