using Continuity.Core.Audit;
using Continuity.Core.Failover;
using Continuity.Core.Health;
using Continuity.Core.Routing;

namespace Continuity.Core.Signals;

/// <summary>
/// Turns cut-off signals into what the tenant's policy says. Every signal about a provider the user (or tenant) is
/// routed to is first an audit record of its own (<c>signal.recorded</c>, actor <c>signal:&lt;source&gt;</c>, with its
/// evidence), whatever the policy; then <c>Off</c> stops there, <c>Suggest</c> files a
/// pending failover request (<c>Suggest</c>, one per user and target while pending) or a route
/// change (<c>Apply</c>). A signal about a provider the user is no longer routed to does nothing.
/// User signals acted on are also counted per tenant and provider (<see cref="TenantCutoffCounter"/>): when the
/// tenant's <see cref="FailoverPolicyOptions.TenantSignalUsers"/> distinct users were cut off within the window, a
/// tenant-wide signal follows once, so an organisation cut off user by user gets one tenant decision, not only one per user.
/// A tenant-wide signal is never turned into a suggestion (or an automatic failover) to a provider that is down itself
/// (a backend of it failed its latest probe here): it is recorded once with the target's failed probes, kept in
/// <see cref="WithheldSuggestions"/> for <c>/health/status</c>, and answered <see cref="CutoffSignalOutcome.TargetDown"/>,
/// so the prober raising it tries again and the suggestion comes when the target is back.
/// </summary>
public sealed partial class CutoffSignalService(
    IOptions<ContinuityOptions> options,
    RouteTable table,
    FailoverService failover,
    AuditLog audit,
    RouteSnapshotService snapshots,
    StateStore store,
    BackendHealthRegistry health,
    WithheldSuggestions withheld,
    TimeProvider time,
    ILogger<CutoffSignalService> logger,
    Metrics.ContinuityMetrics? metrics = null) : ICutoffSignals
{
    private readonly TenantCutoffCounter _counter = new(store, time);

    public async Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!options.Value.Tenants.TryGetValue(signal.Tenant, out var tenant) || tenant.FindProvider(signal.Provider) is not { } provider)
        {
            throw new ArgumentException($"Unknown tenant or provider in signal: {signal.Tenant}/{signal.Provider}", nameof(signal));
        }

        var user = signal.User?.ToLowerInvariant();
        metrics?.CutoffSignal(signal.Tenant, signal.Source);
        Log.Raised(logger, signal.Source, signal.Tenant, user ?? "(tenant)", provider, signal.Evidence);
        if (!table.IsLoaded)
        {
            // Right after start the routes may not be loaded yet: "not routed there" would be a guess, and a prober
            // would take it as an answer and never raise this outage again. Unavailable makes it try next round.
            Log.RoutesNotLoaded(logger, signal.Tenant, user ?? "(tenant)");
            return CutoffSignalOutcome.Unavailable;
        }

        if (!string.Equals(table.Resolve(signal.Tenant, user), provider, StringComparison.OrdinalIgnoreCase))
        {
            if (user is null)
            {
                withheld.Release(signal.Tenant, provider);
            }

            return CutoffSignalOutcome.NotRouted;
        }

        var target = tenant.ResolveSovereignProvider();
        var actor = "signal:" + signal.Source;
        var reason = $"cut-off signal from {signal.Source}: {provider} stopped serving {(user ?? "the tenant")}";
        try
        {
            if (user is null && tenant.Failover.Automatic != AutomaticFailover.Off && TargetDown(signal.Tenant, target) is { Count: > 0 } down)
            {
                return await WithholdAsync(signal with { Provider = provider }, target, actor, reason, down).ConfigureAwait(false);
            }

            // The token stops a signal before its record; once recorded, it is acted on to the end (no token below).
            await audit.AppendAsync(new AuditEntry(actor, "signal.recorded", signal.Tenant, user, provider, null, reason, "evidence: " + signal.Evidence), cancellationToken).ConfigureAwait(false);
            var outcome = await ActAsync(tenant.Failover.Automatic, new RouteChange(signal.Tenant, user, target, actor, reason, Details: "evidence: " + signal.Evidence), provider, signal.Evidence).ConfigureAwait(false);
            if (user is null)
            {
                withheld.Release(signal.Tenant, provider);
            }

            if (user is not null && await _counter.RecordAsync(signal.Tenant, provider, user, tenant.Failover, CancellationToken.None).ConfigureAwait(false) is { } users)
            {
                var window = tenant.Failover.TenantSignalWindow;
                Log.TenantWide(logger, signal.Tenant, provider, users, window);
                var evidence = string.Create(CultureInfo.InvariantCulture,
                    $"{users} users of {signal.Tenant} cut off by {provider} within {window.TotalMinutes:0.#} min; the latest, {user} ({signal.Source}): {signal.Evidence}");
                await RaiseAsync(new CutoffSignal(signal.Tenant, null, provider, signal.Source, evidence), CancellationToken.None).ConfigureAwait(false);
            }

            return outcome;
        }
        catch (StateUnavailableException)
        {
            Log.Unavailable(logger, signal.Tenant, user ?? "(tenant)");
            return CutoffSignalOutcome.Unavailable;
        }
    }

    /// <summary>The target's backends whose latest probe here failed, as <c>kind target: detail</c>; empty when none did (or none was probed).</summary>
    private List<string> TargetDown(string tenant, string target) =>
        [.. health.All
            .Where(b => !b.Up && string.Equals(b.Tenant, tenant, StringComparison.OrdinalIgnoreCase) && string.Equals(b.Provider, target, StringComparison.OrdinalIgnoreCase))
            .Select(b => $"{b.Kind} {b.Target}: {b.Detail}")];

    /// <summary>Records a tenant-wide signal held back because its target is down: audited and logged once per outage.</summary>
    private async Task<CutoffSignalOutcome> WithholdAsync(CutoffSignal signal, string target, string actor, string reason, List<string> down)
    {
        if (withheld.Hold(signal, target, down))
        {
            var why = $"not suggested: {target} is down too ({string.Join("; ", down)})";
            Log.Withheld(logger, signal.Tenant, signal.Provider, target, string.Join("; ", down));
            await audit.AppendAsync(new AuditEntry(actor, "signal.recorded", signal.Tenant, null, signal.Provider, target, reason + "; " + why, "evidence: " + signal.Evidence)).ConfigureAwait(false);
        }

        return CutoffSignalOutcome.TargetDown;
    }

    private async Task<CutoffSignalOutcome> ActAsync(AutomaticFailover policy, RouteChange change, string provider, string evidence)
    {
        switch (policy)
        {
            case AutomaticFailover.Apply:
                await failover.ApplyAsync(change).ConfigureAwait(false);
                await SeeAtOnceAsync().ConfigureAwait(false);
                return CutoffSignalOutcome.Applied;
            case AutomaticFailover.Suggest:
                await failover.SuggestAsync(change.Tenant, change.User, change.To, change.Reason, change.Actor, evidence).ConfigureAwait(false);
                return CutoffSignalOutcome.Suggested;
            default:
                return CutoffSignalOutcome.Recorded;
        }
    }

    /// <summary>
    /// Like an admin's route change, a route a signal moved is this node's very next lookup (and the next signal's
    /// "still routed there?" check), without waiting for pub/sub. A store gone in between leaves that to pub/sub and
    /// the periodic recheck: the change itself is made.
    /// </summary>
    private async Task SeeAtOnceAsync()
    {
        try
        {
            await snapshots.RefreshAsync().ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
        }
    }
}
