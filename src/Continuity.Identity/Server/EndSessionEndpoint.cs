using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace Continuity.Identity.Server;

/// <summary>End-session: clears the gateway session, then OpenIddict redirects to the validated post-logout URI.</summary>
internal static class EndSessionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http)
    {
        await http.SignOutAsync(IdentityDefaults.CookieScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
