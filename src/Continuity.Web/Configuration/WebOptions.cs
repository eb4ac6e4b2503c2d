namespace Continuity.Web.Configuration;

/// <summary>
/// The web gateway, bound from <c>Continuity:Web</c>. Which apps a tenant has and where their
/// backends are is tenant configuration (<c>Hosts.Apps</c>, each provider's <c>Apps</c>); this
/// section says how they are proxied.
/// </summary>
public sealed class WebOptions
{
    public const string SectionName = "Continuity:Web";

    public const string DefaultAssertionHeader = "X-Continuity-Assertion";

    /// <summary>Per app name; apps not listed get the defaults of <see cref="WebAppOptions"/>.</summary>
    public Dictionary<string, WebAppOptions> Apps { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Addresses of load balancers in front of the gateway whose <c>X-Forwarded-For/Proto/Host</c>
    /// are believed. From anyone else those headers are replaced, never passed on. Default none.
    /// This is a property of the gateway's front (the same for every app), so it is not per app.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Lifetime of the signed assertion passed to backends. Default 60 s, also the maximum: the
    /// assertion proves one request, a replayed one is useless a minute later.
    /// </summary>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an app request's verified session cookie is remembered (per cookie value) before it is
    /// decrypted and checked against revocation and sign-out in the state store again. Default 1 s: a
    /// revoked or signed-out session is refused on every node within a second, and a busy user's requests
    /// cost one store round trip per second instead of one each. Zero checks every request.
    /// </summary>
    public TimeSpan SessionCheckCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    public WebAppOptions App(string name) => Apps.TryGetValue(name, out var app) ? app : Default;

    private static readonly WebAppOptions Default = new();
}
