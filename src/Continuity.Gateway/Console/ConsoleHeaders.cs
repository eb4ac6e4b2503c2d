namespace Continuity.Gateway.Console;

/// <summary>
/// What every console answer says to the browser: a Content-Security-Policy that allows only this origin's own files
/// (no inline script or style, no framing, forms post only here), no MIME sniffing, no referrer leaving the console, and
/// no caching of pages that show addresses and evidence.
/// </summary>
internal static class ConsoleHeaders
{
    public const string Root = "/admin";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }
    }
}
