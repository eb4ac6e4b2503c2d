using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Validation;

/// <summary>
/// An access token of the gateway's own server after OpenIddict validated it (signature, lifetime, token entry not
/// revoked): what the resource checks below need from it.
/// </summary>
internal sealed record GatewayAccessToken(ClaimsPrincipal Principal)
{
    public string? Subject => Principal.GetClaim(Claims.Subject);

    public string? Tenant => Principal.GetClaim(IdentityDefaults.TenantClaim);

    /// <summary>The client the token was issued to (<c>client_id</c>, else the presenters OpenIddict keeps).</summary>
    public string? Client => Principal.GetClaim(Claims.ClientId) ?? Principal.GetPresenters().FirstOrDefault();

    /// <summary>The <c>iss</c> of the token (the claim, else the issuer the claims were created with).</summary>
    public string? Issuer => Principal.GetClaim(Claims.Issuer) ?? Principal.FindFirst(Claims.Subject)?.Issuer;

    public bool HasScope(string scope) => Principal.HasScope(scope);

    public bool HasAudience(string audience) => Principal.HasAudience(audience);

    /// <summary>True when the token was issued by <paramref name="tenant"/>'s issuer (a trailing '/' is not significant).</summary>
    public bool IsFrom(TenantIssuer tenant) =>
        Issuer is { } iss && string.Equals(iss.TrimEnd('/'), tenant.Issuer.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal)
        && string.Equals(Tenant, tenant.TenantId, StringComparison.OrdinalIgnoreCase);
}
