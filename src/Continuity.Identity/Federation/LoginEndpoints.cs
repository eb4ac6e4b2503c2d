using Continuity.Core.Routing;
using Continuity.Core.Tenants;
using Continuity.Identity.AppSessions;
using OpenIddict.Client.AspNetCore;

namespace Continuity.Identity.Federation;

/// <summary>
/// Home-realm discovery: the address → its tenant (must be this host's) → its route (or the provider
/// the user chose) → a challenge to that provider's upstream with <c>login_hint</c>. The return URL
/// is a path here or an absolute URL on one of the tenant's app hosts; a user who already has a session
/// here and comes from an app host is sent straight back with a sign-in ticket, without a question.
/// </summary>
internal static partial class LoginEndpoints
{
    public static async Task<IResult> ShowAsync(
        HttpContext http, IssuerDirectory issuers, TenantDirectory tenants, IOptions<IdentityOptions> identity, AppSessionTickets tickets, string? returnUrl)
    {
        if (issuers.FindByHost(http.Request.Host.Host) is not { } tenant || tenants.Find(tenant.TenantId) is not { } options)
        {
            return Results.NotFound();
        }

        if (ReturnUrl.Check(returnUrl, options, tenant.Issuer, identity.Value.AllowInsecureHttp) is not { } target)
        {
            return LoginPage.RefusedReturnUrl();
        }

        if (ReturnUrl.IsApp(target) && await SessionOfAsync(http, tenant.TenantId) is { } session)
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.Redirect(tickets.RedirectFor(tenant.TenantId, new Uri(target), session));
        }

        return LoginPage.Render(tenant, options, target, null, null);
    }

    public static async Task<IResult> SubmitAsync(
        HttpContext http, IssuerDirectory issuers, TenantDirectory tenants, RouteTable routes, IOptions<IdentityOptions> identity,
        UpstreamAvailability availability, ILoggerFactory loggers)
    {
        if (issuers.FindByHost(http.Request.Host.Host) is not { } tenant || tenants.Find(tenant.TenantId) is not { } options)
        {
            return Results.NotFound();
        }

        if (!http.Request.HasFormContentType)
        {
            return LoginPage.Render(tenant, options, "/", null, "Enter your address and press Continue.", StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (ReturnUrl.Check(form["returnUrl"], options, tenant.Issuer, identity.Value.AllowInsecureHttp) is not { } returnUrl)
        {
            return LoginPage.RefusedReturnUrl();
        }

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

        if (await availability.UnavailableAsync(tenant.TenantId, provider, http.RequestAborted) is { } why)
        {
            Log.UpstreamUnavailable(loggers.CreateLogger(LogCategory), tenant.TenantId, provider, why);
            return LoginPage.Render(tenant, options, returnUrl, address,
                $"{options.Providers[provider]!.DisplayName ?? provider} cannot be reached right now. Use another sign-in option below, or try again later.",
                StatusCodes.Status503ServiceUnavailable, failedProvider: provider);
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

    /// <summary>This host's gateway session for <paramref name="tenantId"/>, if the browser has a valid one.</summary>
    private static async Task<ClaimsPrincipal?> SessionOfAsync(HttpContext http, string tenantId)
    {
        var result = await http.AuthenticateAsync(IdentityDefaults.CookieScheme);
        return result.Succeeded && string.Equals(result.Principal.FindFirst(IdentityDefaults.TenantClaim)?.Value, tenantId, StringComparison.OrdinalIgnoreCase)
            ? result.Principal
            : null;
    }
}
