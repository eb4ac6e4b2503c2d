using Continuity.Identity;
using Continuity.Identity.Configuration;
using Microsoft.AspNetCore.Http.Extensions;

namespace Continuity.Web.Routing;

/// <summary>Where an app host sends a user without a gateway session: the tenant issuer's login page.</summary>
internal static class LoginRedirect
{
    /// <summary>
    /// <c>{issuer}login?returnUrl={absolute app URL}</c>; the issuer is the one the identity part uses
    /// (configured, else <c>https://{Hosts.Login}/</c>). Null when the tenant has no login host. The login
    /// page accepts the absolute URL because its host is one of the tenant's apps, and after sign-in sends
    /// the browser to this host's <c>/.continuity/session</c> with a one-time ticket.
    /// The app URL has the scheme the browser used: https when the request came over TLS, else the
    /// issuer's (behind a load balancer that ends TLS the gateway sees http, but the browser used https,
    /// as it does for the issuer). <paramref name="binding"/> (the hash of this browser's nonce cookie on the app
    /// host) rides in the return URL to the ticket, which the app host then accepts only from this browser.
    /// </summary>
    public static string? For(string tenantId, TenantOptions tenant, IdentityOptions identity, HttpRequest request, string? binding = null)
    {
        var configured = identity.Tenants.GetValueOrDefault(tenantId)?.Issuer;
        var issuer = configured ?? (tenant.Hosts.Login is { } login ? $"https://{login}/" : null);
        if (issuer is null || !Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            return null;
        }

        var scheme = request.IsHttps ? Uri.UriSchemeHttps : issuerUri.Scheme;
        var returnUrl = UriHelper.BuildAbsolute(scheme, request.Host, request.PathBase, request.Path, request.QueryString);
        if (binding is not null)
        {
            returnUrl = Identity.AppSessions.AppSessionBinding.AddTo(returnUrl, binding);
        }

        return $"{issuer.TrimEnd('/')}{IdentityDefaults.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
    }
}
