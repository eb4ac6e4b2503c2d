namespace Continuity.Mail.Probes;

/// <summary>
/// Probes every provider's inbound backend (<see cref="InboundProbe"/>) each <c>Probes:Interval</c>, reports each
/// result to <see cref="BackendHealthRegistry"/> (kind <c>inbound</c>, target <c>host:port</c>), and when a provider's
/// backend has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off signal (source <c>mx-probe</c>).
/// A backend shared by several providers is probed once per round. The loop, the signal rules and the logging are
/// <see cref="BackendProbeService{TTarget, TBackend}"/>'s.
/// </summary>
internal sealed class InboundProbeService(
    IOptions<ContinuityOptions> continuity,
    IOptions<MailOptions> options,
    MxIdentity identity,
    BackendProbeServiceDependencies dependencies)
    : BackendProbeService<InboundProbeTarget, string>(FindTargets(continuity.Value), options.Value.Probes, SignalSource, dependencies)
{
    public const string Kind = "inbound";
    public const string SignalSource = "mx-probe";

    /// <summary><c>scheme://host:port</c>: providers sharing a backend share its probe.</summary>
    protected override string BackendOf(InboundProbeTarget target) => target.Backend.GetLeftPart(UriPartial.Authority);

    protected override Task<ProbeOutcome> ProbeAsync(InboundProbeTarget target, CancellationToken cancellationToken) =>
        InboundProbe.ProbeAsync(target.Backend, identity.ServerName, Schedule.Timeout, Time, cancellationToken);

    /// <summary>Every configured <c>Mail:Inbound</c>, in configuration order.</summary>
    private static List<InboundProbeTarget> FindTargets(ContinuityOptions continuity) =>
        [.. from tenant in continuity.Tenants
            from provider in tenant.Value.Providers
            let inbound = provider.Value?.Mail?.Inbound
            where Uri.TryCreate(inbound, UriKind.Absolute, out var uri) && uri.Scheme is "smtp" or "smtps" or "lmtp" && uri.Port > 0
            select new InboundProbeTarget(tenant.Key, provider.Key, new Uri(inbound!))];
}
