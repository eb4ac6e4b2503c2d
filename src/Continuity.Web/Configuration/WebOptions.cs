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

    public WebAppOptions App(string name) => Apps.TryGetValue(name, out var app) ? app : Default;

    private static readonly WebAppOptions Default = new();
}
