namespace Continuity.Identity.Tenants;

/// <summary>A tenant as the gateway's OIDC provider serves it: its id and the issuer in its tokens.</summary>
/// <param name="TenantId">Tenant id (the <c>tenant</c> claim).</param>
/// <param name="Issuer">Absolute issuer URL, ending in '/'.</param>
internal sealed record TenantIssuer(string TenantId, Uri Issuer);
