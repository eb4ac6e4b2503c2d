using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace Continuity.Identity.Server;

/// <summary>End-session: ends the gateway session (and the app-host sessions of the same sign-in), then OpenIddict redirects to the validated post-logout URI.</summary>
internal static class EndSessionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, AppSessions.SessionEnds ends)
    {
        // Ends the app hosts' sessions of the same sign-in too.
        await AppSessions.SignOutEndpoint.EndAsync(http, ends);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
