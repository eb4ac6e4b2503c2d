namespace Continuity.Core.Health;

/// <summary>
/// When a <see cref="BackendProbeService{TTarget, TBackend}"/> probes and signals: each part's probe options
/// (<c>Continuity:Mail:Probes</c>, <c>Continuity:Identity:Probes</c>) implement it with defaults fit for its backends.
/// </summary>
public interface IProbeSchedule
{
    /// <summary>Time between the starts of two rounds.</summary>
    TimeSpan Interval { get; }

    /// <summary>Longest one probe may take; past it the backend counts as down.</summary>
    TimeSpan Timeout { get; }

    /// <summary>How long a provider's backend stays down before the tenant-level cut-off signal.</summary>
    TimeSpan DownAfter { get; }
}
