using Continuity.Core.Health;

namespace Continuity.Identity.Probes;

/// <summary>
/// Probes every provider's identity upstream (<see cref="UpstreamProbe"/>) each <c>Probes:Interval</c>, reports each
/// result to <see cref="BackendHealthRegistry"/> (kind <c>identity</c>, target the authority), and when a provider's
/// upstream has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off signal (source
/// <c>identity-probe</c>). An authority shared by several providers is probed once per round. The loop, the signal
/// rules and the logging are <see cref="BackendProbeService{TTarget, TBackend}"/>'s.
/// </summary>
internal sealed class UpstreamProbeService(
    IOptions<ContinuityOptions> continuity,
    IOptions<IdentityOptions> options,
    IHttpClientFactory clients,
    BackendProbeServiceDependencies dependencies)
    : BackendProbeService<UpstreamProbeTarget, string>(FindTargets(continuity.Value), options.Value.Probes, SignalSource, dependencies)
{
    public const string Kind = "identity";
    public const string SignalSource = "identity-probe";
    public const string HttpClientName = "continuity-identity-probe";

    protected override string BackendOf(UpstreamProbeTarget target) => target.Authority;

    protected override Task<ProbeOutcome> ProbeAsync(UpstreamProbeTarget target, CancellationToken cancellationToken) =>
        UpstreamProbe.ProbeAsync(clients.CreateClient(HttpClientName), target.Authority, Schedule.Timeout, Time, cancellationToken);

    /// <summary>Every configured <c>Identity:Authority</c>, in configuration order.</summary>
    private static List<UpstreamProbeTarget> FindTargets(ContinuityOptions continuity) =>
        [.. from tenant in continuity.Tenants
            from provider in tenant.Value.Providers
            where provider.Value?.Identity?.Authority is { Length: > 0 }
            select new UpstreamProbeTarget(tenant.Key, provider.Key, provider.Value.Identity!.Authority)];
}
