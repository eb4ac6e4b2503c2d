using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Server;

/// <summary>The userinfo endpoint: the claims the access token's scopes allow.</summary>
internal static class UserinfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
            [IdentityDefaults.TenantClaim] = principal.GetClaim(IdentityDefaults.TenantClaim),
        };

        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = principal.GetClaim(Claims.Email);
            claims[Claims.EmailVerified] = principal.GetClaim(Claims.Email) is not null;
        }

        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = principal.GetClaim(Claims.Name);
            claims[Claims.PreferredUsername] = principal.GetClaim(Claims.PreferredUsername);
        }

        return Results.Ok(claims.Where(c => c.Value is not null).ToDictionary());
    }
}
