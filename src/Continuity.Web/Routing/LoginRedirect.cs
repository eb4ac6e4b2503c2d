using Continuity.Core.Configuration;
using Continuity.Identity;
using Continuity.Identity.Configuration;

namespace Continuity.Web.Routing;

/// <summary>Where an app host sends a user without a gateway session: the tenant issuer's login page.</summary>
internal static class LoginRedirect
{
    /// <summary>
    /// <c>{issuer}login?returnUrl={path and query}</c>; the issuer is the one the identity part uses
    /// (configured, else <c>https://{Hosts.Login}/</c>). Null when the tenant has no login host.
    /// </summary>
    public static string? For(string tenantId, TenantOptions tenant, IdentityOptions identity, string pathAndQuery)
    {
        var configured = identity.Tenants.GetValueOrDefault(tenantId)?.Issuer;
        var issuer = configured ?? (tenant.Hosts.Login is { } login ? $"https://{login}/" : null);
        if (issuer is null)
        {
            return null;
        }

        return $"{issuer.TrimEnd('/')}{IdentityDefaults.LoginPath}?returnUrl={Uri.EscapeDataString(pathAndQuery)}";
    }
}
