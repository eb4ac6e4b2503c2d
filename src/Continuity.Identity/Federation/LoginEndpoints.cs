using Continuity.Core.Routing;
using Continuity.Core.Tenants;
using Continuity.Identity.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Client.AspNetCore;

namespace Continuity.Identity.Federation;

/// <summary>
/// Home-realm discovery: the address → its tenant (must be this host's) → its route (or the provider
/// the user chose) → a challenge to that provider's upstream with <c>login_hint</c>.
/// </summary>
internal static class LoginEndpoints
{
    public static IResult Show(HttpContext http, IssuerDirectory issuers, TenantDirectory tenants, string? returnUrl)
    {
        if (issuers.FindByHost(http.Request.Host.Host) is not { } tenant || tenants.Find(tenant.TenantId) is not { } options)
        {
            return Results.NotFound();
        }

        return LoginPage.Render(tenant, options, LoginPage.SafeReturnUrl(returnUrl), null, null);
    }

    public static async Task<IResult> SubmitAsync(HttpContext http, IssuerDirectory issuers, TenantDirectory tenants, RouteTable routes)
    {
        if (issuers.FindByHost(http.Request.Host.Host) is not { } tenant || tenants.Find(tenant.TenantId) is not { } options)
        {
            return Results.NotFound();
        }

        var form = await http.Request.ReadFormAsync();
        var returnUrl = LoginPage.SafeReturnUrl(form["returnUrl"]);
        var address = form["address"].ToString().Trim();
        if (address.Length is 0 or > 254 || !options.OwnsAddress(address))
        {
            return LoginPage.Render(tenant, options, returnUrl, address, "Enter an address of this organisation.", StatusCodes.Status400BadRequest);
        }

        var chosen = form["provider"].ToString();
        var provider = chosen.Length > 0
            ? options.FindProvider(chosen)
            : routes.Resolve(tenant.TenantId, address.ToLowerInvariant()) ?? options.DefaultProvider;
        if (provider is null || options.Providers[provider]?.Identity is null)
        {
            return LoginPage.Render(tenant, options, returnUrl, address, "That sign-in option is not available.", StatusCodes.Status400BadRequest);
        }

        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = UpstreamRegistrations.RegistrationId(tenant.TenantId, provider),
            [OpenIddictClientAspNetCoreConstants.Properties.LoginHint] = address,
        })
        {
            RedirectUri = returnUrl,
        };

        return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
    }
}
