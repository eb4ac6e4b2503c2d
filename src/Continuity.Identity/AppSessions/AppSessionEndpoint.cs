using System.Net;
using Continuity.Core.Tenants;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// <c>GET /.continuity/session?ticket=…</c> on an app host: redeems the login host's ticket once, starts
/// this host's own session cookie (host-only, HttpOnly, SameSite=Lax, Secure unless insecure http is
/// allowed for tests) and redirects to the page the user asked for. A bad ticket, or one presented by a browser
/// other than the one that asked for it (<see cref="AppSessionBinding"/>), gets a 400 page and no cookie.
/// </summary>
internal static class AppSessionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, AppSessionTickets tickets, TenantDirectory tenants, string? ticket)
    {
        http.Response.Headers.CacheControl = "no-store";
        var redemption = await tickets.RedeemAsync(ticket, http.Request.Host.Host, http.Request.Cookies[AppSessionBinding.CookieName], tenants.Find, http.RequestAborted);
        switch (redemption.Outcome)
        {
            case AppSessionOutcome.Redeemed:
                await http.SignInAsync(IdentityDefaults.CookieScheme, redemption.Principal!);
                return Results.Redirect(redemption.ReturnPath!);
            case AppSessionOutcome.Unavailable:
                return Page(StatusCodes.Status503ServiceUnavailable, "Sign-in unavailable",
                    "The sign-in could not be completed right now. Please open the application again in a moment.");
            default:
                return Page(StatusCodes.Status400BadRequest, "Sign-in link not valid",
                    "This sign-in link is not valid, has expired or was already used. Open the application again to sign in.");
        }
    }

    /// <summary>A plain page for a refused sign-in step (also used by the login page for a refused return URL).</summary>
    public static IResult Page(int status, string title, string text) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{status} {WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1><p id="message">{WebUtility.HtmlEncode(text)}</p></body></html>
        """,
        "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
