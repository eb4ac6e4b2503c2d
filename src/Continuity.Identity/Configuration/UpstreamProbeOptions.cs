using Continuity.Core.Health;

namespace Continuity.Identity.Configuration;

/// <summary>
/// Active probes of every provider's identity upstream (<c>Providers:*:Identity:Authority</c>): its discovery
/// document (reachable, JSON, <c>issuer</c> equal to the authority, a <c>jwks_uri</c>) and its JWKS (reachable,
/// at least one key). Results show in <c>/health/status</c> and <c>/metrics</c>; an upstream that stays down
/// raises one tenant-level cut-off signal (source <c>identity-probe</c>) per outage.
/// </summary>
public sealed class UpstreamProbeOptions : IProbeSchedule
{
    /// <summary>Time between two rounds. Default 30 s: two small GETs a minute per upstream, as the mail probes do.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest one probe (discovery and JWKS together) may take; past it the upstream counts as down. Default 10 s:
    /// a sign-in page that slow is down for users too. At most <see cref="Interval"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an upstream must stay down before the tenant-level signal. Default 5 min: longer than an identity
    /// provider's usual blip (Entra's regional incidents often clear in a few minutes) and far shorter than the
    /// working day a user cannot sign in. Zero: signal at the first failed probe.
    /// </summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromMinutes(5);
}
