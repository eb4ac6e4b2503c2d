namespace Continuity.Mail.Probes;

/// <summary>One provider's inbound backend as configured (<c>Tenants:{Tenant}:Providers:{Provider}:Mail:Inbound</c>).</summary>
internal sealed record InboundProbeTarget(string Tenant, string Provider, Uri Backend) : IProbeTarget
{
    public string Kind => InboundProbeService.Kind;

    /// <summary><c>host:port</c>, the target shown in <c>/health/status</c> and <c>/metrics</c>.</summary>
    public string Target => $"{Backend.Host}:{Backend.Port.ToString(CultureInfo.InvariantCulture)}";

    public string Description => $"inbound backend {Backend.Scheme}://{Target}";
}
