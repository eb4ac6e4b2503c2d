using Continuity.Core.Configuration;
using Continuity.Identity;
using Continuity.Identity.Configuration;

namespace Continuity.Web.Routing;

/// <summary>Where an app host sends a user without a gateway session: the tenant issuer's login page.</summary>
internal static class LoginRedirect
{
    /// <summary>
    /// <c>{issuer}login?returnUrl={absolute app URL}</c>; the issuer is the one the identity part uses
    /// (configured, else <c>https://{Hosts.Login}/</c>). Null when the tenant has no login host. The login
    /// page accepts the absolute URL because its host is one of the tenant's apps, and after sign-in sends
    /// the browser to this host's <c>/.continuity/session</c> with a one-time ticket.
    /// </summary>
    public static string? For(string tenantId, TenantOptions tenant, IdentityOptions identity, string returnUrl)
    {
        var configured = identity.Tenants.GetValueOrDefault(tenantId)?.Issuer;
        var issuer = configured ?? (tenant.Hosts.Login is { } login ? $"https://{login}/" : null);
        if (issuer is null)
        {
            return null;
        }

        return $"{issuer.TrimEnd('/')}{IdentityDefaults.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
    }
}
