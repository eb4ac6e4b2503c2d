namespace Continuity.Core.Health;

/// <summary>
/// One provider's backend as a <see cref="BackendProbeService{TTarget, TBackend}"/> reports it: the entry of
/// <see cref="BackendHealthRegistry"/> it updates, and how the evidence of a cut-off signal names it.
/// </summary>
public interface IProbeTarget
{
    /// <summary>Tenant id.</summary>
    string Tenant { get; }

    /// <summary>Provider name.</summary>
    string Provider { get; }

    /// <summary>What is probed (<c>identity</c>, <c>inbound</c>, <c>imap</c>, …), the kind shown in <c>/health/status</c> and <c>/metrics</c>.</summary>
    string Kind { get; }

    /// <summary>Where (host:port or URL, never with credentials), the target shown in <c>/health/status</c> and <c>/metrics</c>.</summary>
    string Target { get; }

    /// <summary>The backend in a signal's evidence: <c>identity upstream https://login.example</c>, <c>inbound backend smtp://host:25</c>.</summary>
    string Description { get; }
}
