namespace Continuity.Gateway.Admin;

/// <summary>A kind of credential the admin API knows.</summary>
internal enum AdminCredential
{
    /// <summary>An API key from configuration: <c>X-Api-Key</c>, or <c>Authorization: Bearer</c> with text that is not a JWT.</summary>
    ApiKey,

    /// <summary>An access token of the gateway's own server (a JWT) with the admin scope: <c>Authorization: Bearer &lt;jwt&gt;</c>.</summary>
    Bearer,

    /// <summary>The gateway's session cookie of an admin who signed in through the login page.</summary>
    Cookie,
}

/// <summary>
/// Which credentials a request presents, counted by what it carries, not by what is valid: a request with an API key and a
/// stale cookie presents two. Each header value counts (two <c>X-Api-Key</c> values, or one with two keys, are two credentials). An
/// <c>Authorization</c> header of another scheme (Basic from a proxy in front) is not an admin credential and is ignored.
/// </summary>
internal static class AdminCredentials
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static List<AdminCredential> Presented(HttpRequest request, string cookieName)
    {
        var found = new List<AdminCredential>();
        foreach (var value in request.Headers.Authorization)
        {
            if (value is not null && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(value.AsSpan(7).Trim().Count('.') == 2 ? AdminCredential.Bearer : AdminCredential.ApiKey);
            }
        }

        // A key has no comma (base64url): "k1, k2" is two header lines joined by a client or a proxy.
        foreach (var value in request.Headers[ApiKeyHeader])
        {
            var keys = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
            found.AddRange(Enumerable.Repeat(AdminCredential.ApiKey, Math.Max(1, keys)));
        }
        if (request.Cookies.ContainsKey(cookieName))
        {
            found.Add(AdminCredential.Cookie);
        }

        return found;
    }

    public static string Name(AdminCredential credential) => credential switch
    {
        AdminCredential.ApiKey => "api-key",
        AdminCredential.Bearer => "bearer",
        _ => "cookie",
    };

    /// <summary>"an API key and a session cookie", for the refusal.</summary>
    public static string Describe(IReadOnlyList<AdminCredential> presented)
    {
        var words = presented.Order().Select(c => c switch
        {
            AdminCredential.ApiKey => "an API key",
            AdminCredential.Bearer => "an access token",
            _ => "a session cookie",
        }).ToList();
        return words.Count == 1 ? words[0] : string.Join(", ", words[..^1]) + " and " + words[^1];
    }
}
