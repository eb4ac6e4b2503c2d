using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Server;

/// <summary>The claims relying parties get, and which token each goes into.</summary>
internal static class GatewayClaims
{
    /// <summary>An identity for the OpenIddict server from the gateway session (or a token's principal).</summary>
    public static ClaimsIdentity FromSession(ClaimsPrincipal session, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        foreach (var type in new[] { Claims.Subject, Claims.Email, Claims.Name, IdentityDefaults.TenantClaim })
        {
            if (session.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                identity.SetClaim(type, value);
            }
        }

        if (identity.GetClaim(Claims.Email) is { } email)
        {
            // Only verified addresses are ever linked (or imported by an admin).
            identity.SetClaim(Claims.EmailVerified, true);
            identity.SetClaim(Claims.PreferredUsername, email);
        }

        return identity;
    }

    public static IEnumerable<string> DestinationsOf(Claim claim)
    {
        var principal = claim.Subject;
        switch (claim.Type)
        {
            case Claims.Subject:
            case IdentityDefaults.TenantClaim:
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                yield break;
            case Claims.Email:
            case Claims.EmailVerified:
                yield return Destinations.AccessToken;
                if (principal?.HasScope(Scopes.Email) == true)
                {
                    yield return Destinations.IdentityToken;
                }

                yield break;
            case Claims.Name:
            case Claims.PreferredUsername:
                yield return Destinations.AccessToken;
                if (principal?.HasScope(Scopes.Profile) == true)
                {
                    yield return Destinations.IdentityToken;
                }

                yield break;
            default:
                yield break;
        }
    }
}
