namespace Continuity.Core.Health;

/// <summary>
/// When a prober raises its tenant-level cut-off signal: once per outage of a backend (tenant, provider,
/// kind), after it has been down for <c>downAfter</c>; again only after the backend was seen up. Each
/// prober owns one gate and calls it once per probe result, from its single probing loop.
/// </summary>
public sealed class OutageSignalGate
{
    private readonly HashSet<(string Tenant, string Provider, string Kind)> _signalled = [];

    /// <summary>True when <paramref name="result"/> is due a signal; an up result ends the outage.</summary>
    public bool IsDue(BackendProbeResult result, TimeSpan downAfter, out DateTimeOffset downSince)
    {
        ArgumentNullException.ThrowIfNull(result);
        downSince = default;
        var key = (result.Tenant, result.Provider, result.Kind);
        if (result.Up)
        {
            _signalled.Remove(key);
            return false;
        }

        if (_signalled.Contains(key) || result.DownSince is not { } since || result.CheckedAt - since < downAfter)
        {
            return false;
        }

        downSince = since;
        return true;
    }

    /// <summary>The signal for this outage went out (or was acted on); none until the backend recovers.</summary>
    public void MarkSignalled(BackendProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _signalled.Add((result.Tenant, result.Provider, result.Kind));
    }
}
