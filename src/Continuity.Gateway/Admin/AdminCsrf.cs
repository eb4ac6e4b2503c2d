namespace Continuity.Gateway.Admin;

/// <summary>
/// Cross-site request forgery rule for the admin API when the request is authenticated by the session cookie (a browser
/// sends the cookie by itself; API keys and access tokens are set by the caller, so they need none of this). A change
/// (any method but GET, HEAD, OPTIONS, TRACE) must carry <c>X-Continuity-Csrf: 1</c> — a custom header, which a page of
/// another origin cannot add without a CORS preflight that the gateway never grants — and come from the same origin:
/// <c>Origin</c>, when sent, equals this request's scheme://host[:port]; <c>Sec-Fetch-Site</c>, when sent, is
/// <c>same-origin</c>; and at least one of the two is sent (every browser sends Origin on a POST). SameSite=Lax alone is
/// not enough: any page on a sibling host of the tenant (a proxied app) is "same site" (issue 16, item 3).
/// </summary>
internal static class AdminCsrf
{
    public const string Header = "X-Continuity-Csrf";

    /// <summary>Null when the request may go on; else why not (answered with 403).</summary>
    public static string? Check(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        if (request.Headers[Header] is not { Count: 1 } token || token[0] != "1")
        {
            return $"A change made with the session cookie needs the header '{Header}: 1' (anti-forgery). Scripts should use an API key.";
        }

        var origin = request.Headers.Origin;
        var fetchSite = request.Headers["Sec-Fetch-Site"];
        if (origin.Count == 0 && fetchSite.Count == 0)
        {
            return "A change made with the session cookie must say where it comes from (Origin or Sec-Fetch-Site): none was sent.";
        }

        var self = $"{request.Scheme}://{request.Host.Value}";
        if (origin.Count > 0 && (origin.Count > 1 || !string.Equals(origin[0], self, StringComparison.OrdinalIgnoreCase)))
        {
            return $"Cross-origin change refused: Origin '{origin}' is not '{self}'.";
        }

        if (fetchSite.Count > 0 && (fetchSite.Count > 1 || !string.Equals(fetchSite[0], "same-origin", StringComparison.OrdinalIgnoreCase)))
        {
            return $"Cross-origin change refused: Sec-Fetch-Site is '{fetchSite}', not 'same-origin'.";
        }

        return null;
    }
}
