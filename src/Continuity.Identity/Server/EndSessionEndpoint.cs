using System.Net;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server.AspNetCore;

namespace Continuity.Identity.Server;

/// <summary>
/// End-session (OpenID Connect RP-Initiated Logout 1.0): ends the gateway session (and the app-host sessions of
/// the same sign-in), then OpenIddict redirects to the validated post-logout URI.
/// <para>
/// Only a request that shows it comes from the user's own relying party ends the session at once: an
/// <c>id_token_hint</c> (OpenIddict has already refused an invalid one) for the same user as the session, or
/// no session at all. Anything else — no hint, as any page on the web can send with an <c>&lt;img&gt;</c> — gets a
/// confirmation page whose POST form carries an anti-forgery token (§2: "the OP SHOULD ask the End-User whether
/// to log out" without a valid hint); only that confirmed POST ends the session.
/// </para>
/// </summary>
internal static class EndSessionEndpoint
{
    private const string ConfirmField = "continuity_confirm";

    public static async Task<IResult> HandleAsync(HttpContext http, AppSessions.SessionEnds ends)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.CacheControl = "no-store";
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var session = await http.AuthenticateAsync(IdentityDefaults.CookieScheme);
        var confirmed = false;
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
            && (await http.Request.ReadFormAsync(http.RequestAborted))[ConfirmField] == "yes")
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return AppSessions.AppSessionEndpoint.Page(StatusCodes.Status400BadRequest, "Sign-out not confirmed",
                    "This sign-out request did not come from the gateway's own confirmation page. You are still signed in.");
            }

            confirmed = true;
        }

        if (!confirmed && session.Succeeded && !await HintMatchesAsync(http, session.Principal!))
        {
            return Confirm(http, antiforgery);
        }

        // Ends the app hosts' sessions of the same sign-in too.
        await AppSessions.SignOutEndpoint.EndAsync(http, ends);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>True when the request's <c>id_token_hint</c> (validated by OpenIddict) names the session's own user.</summary>
    private static async Task<bool> HintMatchesAsync(HttpContext http, System.Security.Claims.ClaimsPrincipal session)
    {
        if (string.IsNullOrEmpty(http.GetOpenIddictServerRequest()?.IdTokenHint))
        {
            return false;
        }

        var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var hinted = hint.Principal?.FindFirst("sub")?.Value;
        return hinted is not null && string.Equals(hinted, session.FindFirst("sub")?.Value, StringComparison.Ordinal);
    }

    /// <summary>The question, with the request's own parameters carried into the POST (so the post-logout redirect still works).</summary>
    private static IResult Confirm(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var fields = new StringBuilder();
        void Hidden(string name, string? value) =>
            fields.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(name)}\" value=\"{WebUtility.HtmlEncode(value)}\">");
        var request = http.GetOpenIddictServerRequest();
        if (request is not null)
        {
            foreach (var (name, value) in request.GetParameters())
            {
                if (name != ConfirmField && name != tokens.FormFieldName && (string?)value is { } text)
                {
                    Hidden(name, text);
                }
            }
        }

        Hidden(tokens.FormFieldName, tokens.RequestToken);
        Hidden(ConfirmField, "yes");
        return Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign out?</title></head>
            <body><h1>Sign out?</h1><p id="message">Do you want to sign out of every application of your organisation on this browser?</p>
            <form method="post" action="/connect/endsession">{fields}<button type="submit">Sign out</button></form>
            <p><a href="/">Stay signed in</a></p></body></html>
            """,
            "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status200OK);
    }
}
