using System.Collections.Concurrent;

namespace Continuity.Core.Health;

/// <summary>
/// Latest probe results of every backend this node probes. Probers report here; <c>/health/status</c>
/// and <c>/metrics</c> read it. One entry per (tenant, provider, kind, target).
/// </summary>
public sealed class BackendHealthRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string, string, string, string), BackendProbeResult> _results = new();

    /// <summary>Records a probe; keeps <see cref="BackendProbeResult.DownSince"/> across consecutive failures. Returns the stored result.</summary>
    public BackendProbeResult Report(string tenant, string provider, string kind, string target, bool up, string detail)
    {
        var key = (tenant, provider, kind, target);
        var now = time.GetUtcNow();
        return _results.AddOrUpdate(
            key,
            _ => new BackendProbeResult(tenant, provider, kind, target, up, now, detail, up ? null : now),
            (_, previous) => new BackendProbeResult(tenant, provider, kind, target, up, now, detail, up ? null : previous.DownSince ?? now));
    }

    /// <summary>True when the latest probe of some <paramref name="kind"/> target of that provider failed (unknown counts as up).</summary>
    public bool IsDown(string tenant, string provider, string kind)
    {
        foreach (var result in _results.Values)
        {
            if (!result.Up && string.Equals(result.Tenant, tenant, StringComparison.OrdinalIgnoreCase)
                && string.Equals(result.Provider, provider, StringComparison.OrdinalIgnoreCase) && result.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    public IReadOnlyList<BackendProbeResult> All =>
        [.. _results.Values.OrderBy(r => r.Tenant, StringComparer.Ordinal).ThenBy(r => r.Provider, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Target, StringComparer.Ordinal)];
}
