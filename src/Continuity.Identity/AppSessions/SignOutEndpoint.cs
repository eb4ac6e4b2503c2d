namespace Continuity.Identity.AppSessions;

/// <summary>
/// <c>POST /.continuity/signout</c> on an app host (and the login host's end-session endpoint): ends the
/// sign-in on every host and node (<see cref="SessionEnds"/>) and deletes this host's cookie.
/// </summary>
internal static class SignOutEndpoint
{
    public const string Path = "/.continuity/signout";

    public static async Task<IResult> HandleAsync(HttpContext http, SessionEnds ends)
    {
        await EndAsync(http, ends);
        http.Response.Headers.CacheControl = "no-store";
        return AppSessionEndpoint.Page(StatusCodes.Status200OK, "Signed out", "You are signed out of every application of your organisation on this browser.");
    }

    /// <summary>Marks this browser's sign-in ended (if it has one) and deletes this host's session cookie.</summary>
    public static async Task EndAsync(HttpContext http, SessionEnds ends)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(ends);
        var session = await http.AuthenticateAsync(IdentityDefaults.CookieScheme);
        if (session.Succeeded && session.Principal.FindFirst(IdentityDefaults.TenantClaim)?.Value is { } tenant
            && session.Principal.FindFirst(AppSessionClaims.SessionId)?.Value is { } sid)
        {
            await ends.EndAsync(tenant, sid, http.RequestAborted);
        }

        await http.SignOutAsync(IdentityDefaults.CookieScheme);
    }
}
