using System.Text.Encodings.Web;

namespace Continuity.Identity.Federation;

/// <summary>
/// The gateway's login page: one field for the address, a Continue button (the user's current route),
/// and one button per other provider of the tenant ("Sign in with …"), because an upstream that cut a
/// user off often shows its error on its own page and never sends the browser back. When a provider just
/// failed (refused, down, or did not answer), the page offers every other provider instead.
/// </summary>
internal static class LoginPage
{
    public static IResult Render(
        TenantIssuer tenant, TenantOptions options, string returnUrl, string? address, string? message, int status = 200, string? failedProvider = null)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>")
            .Append("<main><h1>Sign in to ").Append(html.Encode(options.DisplayName ?? tenant.TenantId)).Append("</h1>");
        if (message is not null)
        {
            page.Append("<p role=\"alert\" id=\"message\">").Append(html.Encode(message)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"").Append(IdentityDefaults.LoginPath).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl)).Append("\">")
            .Append("<label>E-mail address <input type=\"email\" name=\"address\" autocomplete=\"username\" required value=\"")
            .Append(html.Encode(address ?? "")).Append("\"></label>")
            .Append("<button type=\"submit\" name=\"provider\" value=\"\">Continue</button>");
        foreach (var (name, provider) in options.Providers)
        {
            var skip = failedProvider ?? options.DefaultProvider;
            if (provider?.Identity is not null && !string.Equals(name, skip, StringComparison.OrdinalIgnoreCase))
            {
                page.Append("<button type=\"submit\" name=\"provider\" value=\"").Append(html.Encode(name)).Append("\">Sign in with ")
                    .Append(html.Encode(provider.DisplayName ?? name)).Append("</button>");
            }
        }

        page.Append("</form></main></body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>
    /// Something failed while signing in that the user cannot fix by choosing another option: the gateway's own
    /// page, with a reference that matches the log line, never a library's text or an empty 500.
    /// </summary>
    public static IResult Failed(string reference) => AppSessions.AppSessionEndpoint.Page(StatusCodes.Status500InternalServerError, "Sign-in failed",
        $"The sign-in could not be completed. Try again in a moment. If it keeps failing, give your administrator this reference: {reference}");

    /// <summary>A return URL that is neither a path here nor one of the tenant's app hosts (an open-redirect attempt): a 400 page.</summary>
    public static IResult RefusedReturnUrl() => AppSessions.AppSessionEndpoint.Page(StatusCodes.Status400BadRequest, "Sign-in link not valid",
        "This sign-in link would send you to a site that does not belong to your organisation. Open the application again to sign in.");
}
