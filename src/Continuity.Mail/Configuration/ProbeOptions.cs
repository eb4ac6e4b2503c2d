namespace Continuity.Mail.Configuration;

/// <summary>
/// Active probes of every provider's inbound mail backend (<c>Providers:*:Mail:Inbound</c>): connect, banner,
/// EHLO or LHLO, QUIT. Results show in <c>/health/status</c> and <c>/metrics</c>; a backend that stays down
/// raises one tenant-level cut-off signal, which the tenant's failover policy turns into a suggestion or a switch.
/// </summary>
public sealed class ProbeOptions : IProbeSchedule
{
    /// <summary>Time between two rounds of probes. Default 30 s: a few connections a minute per backend, as a load balancer's health check.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest one probe may take from connect to the reply to EHLO/LHLO; past it the backend counts as down.
    /// Default 10 s: a healthy MTA greets within milliseconds, and a slow one is down for senders too. At most <see cref="Interval"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a backend must stay down before the tenant-level signal (source <c>mx-probe</c>). Default 2 min:
    /// four failed probes in a row, longer than a backend restart, far shorter than the 5 min before the first retry.
    /// </summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromMinutes(2);
}
