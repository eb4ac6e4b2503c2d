namespace Continuity.Testing;

/// <summary>Which real provider an <see cref="OidcUpstream"/> imitates (claims, refusals).</summary>
public enum OidcUpstreamProfile
{
    /// <summary>Microsoft Entra ID v2: pairwise-looking <c>sub</c>, <c>oid</c>, <c>tid</c>, <c>preferred_username</c>, unverified <c>email</c>.</summary>
    Entra,

    /// <summary>Keycloak: <c>sub</c>, <c>email</c>, <c>email_verified: true</c>, <c>name</c>, <c>preferred_username</c> in ID token and userinfo.</summary>
    Keycloak,
}
