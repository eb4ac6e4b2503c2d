using Continuity.Core.Health;

namespace Continuity.Identity.Probes;

/// <summary>One provider's identity upstream to probe.</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Provider">Provider name.</param>
/// <param name="Authority">The configured authority (the registry's target).</param>
internal sealed record UpstreamProbeTarget(string Tenant, string Provider, string Authority) : IProbeTarget
{
    public string Kind => UpstreamProbeService.Kind;

    public string Target => Authority;

    public string Description => $"identity upstream {Authority}";
}
