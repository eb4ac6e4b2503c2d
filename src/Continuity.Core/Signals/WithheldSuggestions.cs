using System.Collections.Concurrent;

namespace Continuity.Core.Signals;

/// <summary>
/// Tenant-wide cut-off signals this node did not turn into a suggestion (or an automatic failover) because the provider
/// they would move the tenant to was down itself: moving everyone from one dead provider to another helps no one, and a
/// pending request an admin might approve at night would do exactly that. One entry per (tenant, provider that stopped
/// serving), kept until a later signal is acted on or the tenant no longer routes there; <c>/health/status</c> shows
/// them so an operator sees why no suggestion exists. In memory: each node says what it withheld.
/// </summary>
public sealed class WithheldSuggestions(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, string Provider), WithheldSuggestion> _held = new();

    /// <summary>Records (or refreshes) a withheld signal. True the first time for this (tenant, provider), so it is audited once.</summary>
    public bool Hold(CutoffSignal signal, string target, IReadOnlyList<string> targetDown)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var now = time.GetUtcNow();
        var first = true;
        _held.AddOrUpdate(
            (signal.Tenant, signal.Provider.ToLowerInvariant()),
            _ => new WithheldSuggestion(signal.Tenant, signal.Provider, target, signal.Source, signal.Evidence, targetDown, now, now),
            (_, previous) =>
            {
                first = false;
                return previous with { Source = signal.Source, Evidence = signal.Evidence, TargetDown = targetDown, LastSeen = now };
            });
        return first;
    }

    /// <summary>A signal about that provider was acted on (or is moot): nothing withheld any more.</summary>
    public void Release(string tenant, string provider) => _held.TryRemove((tenant, provider.ToLowerInvariant()), out _);

    public IReadOnlyList<WithheldSuggestion> All =>
        [.. _held.Values.OrderBy(w => w.Tenant, StringComparer.Ordinal).ThenBy(w => w.Provider, StringComparer.Ordinal)];
}

/// <summary>A tenant-wide signal held back: who stopped serving, where the tenant would have gone, and why not.</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Provider">The provider the signal says stopped serving the tenant.</param>
/// <param name="Target">The provider a suggestion would have moved the tenant to.</param>
/// <param name="Source">The part that raised the latest signal.</param>
/// <param name="Evidence">The latest signal's evidence.</param>
/// <param name="TargetDown">The target's backends whose latest probe failed (<c>kind target: detail</c>).</param>
/// <param name="Since">When the first such signal was withheld.</param>
/// <param name="LastSeen">When the latest one was.</param>
public sealed record WithheldSuggestion(
    string Tenant, string Provider, string Target, string Source, string Evidence, IReadOnlyList<string> TargetDown, DateTimeOffset Since, DateTimeOffset LastSeen);
