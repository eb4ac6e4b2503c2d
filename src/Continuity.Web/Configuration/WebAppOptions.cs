namespace Continuity.Web.Configuration;

/// <summary>
/// How the gateway proxies one web app (by app name, the same for every tenant and provider).
/// An app named in a tenant's <c>Hosts.Apps</c> without an entry here gets these defaults.
/// </summary>
public sealed class WebAppOptions
{
    /// <summary>
    /// Path prefixes served without a gateway session (static assets, the app's own health page).
    /// They go to the tenant's default route, since there is no user to resolve. Default none:
    /// everything needs a signed-in user.
    /// </summary>
    public List<string> PublicPaths { get; set; } = [];

    /// <summary>
    /// True (default): the backend sees the public host name (<c>webmail.demo.test</c>), as webmail
    /// suites that build absolute links expect. False: the backend's own host from its URL.
    /// </summary>
    public bool KeepHost { get; set; } = true;

    /// <summary>
    /// Longest silence allowed from the backend on one request before the client gets a 504.
    /// Default 100 s, YARP's and HttpClient's default: long polls of webmail suites stay under it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Path probed on every destination. Default <c>/</c> (any backend answers it).</summary>
    public string HealthPath { get; set; } = "/";

    /// <summary>Time between probes of each destination. Default 10 s, YARP's active-probe default.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one probe may take before it counts as failed. Default 5 s (half the interval).</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failed probes in a row before a destination is down. Default 2 (YARP's ConsecutiveFailures
    /// default): one lost probe on a busy network does not flip a user's app.
    /// </summary>
    public int HealthFailureThreshold { get; set; } = 2;

    /// <summary>Header that carries the signed user assertion to the backend. Default <c>X-Continuity-Assertion</c>.</summary>
    public string AssertionHeader { get; set; } = WebOptions.DefaultAssertionHeader;
}
