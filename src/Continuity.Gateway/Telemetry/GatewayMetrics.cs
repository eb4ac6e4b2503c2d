using System.Diagnostics.Metrics;
using Continuity.Core.Health;
using Continuity.Core.Metrics;
using Continuity.Core.Routing;
using Continuity.Mail.Queue;

namespace Continuity.Gateway.Telemetry;

/// <summary>
/// The node's state as observable gauges on the <see cref="ContinuityMetrics"/> meter, read when metrics are collected:
/// the store, the route snapshot, users per provider, the mail spool, every probed backend, and from the store (through
/// <see cref="StoreMetricsSampler"/>) pending approvals and mailbox sync. The names are those <c>/metrics</c> has always
/// had; <c>continuity_approvals_pending</c> is the one to page on (a failover waits for a second admin).
/// </summary>
internal sealed class GatewayMetrics
{
    private long _snapshotSwaps;

    public GatewayMetrics(
        ContinuityMetrics metrics, StateStore store, RouteTable table, RouteSnapshotService snapshots, TenantDirectory tenants,
        MailQueue queue, BackendHealthRegistry backends, StoreMetricsSampler sampler, TimeProvider time)
    {
        var meter = metrics.Meter;
        table.Changed += (_, _) => Interlocked.Increment(ref _snapshotSwaps);

        meter.CreateObservableGauge("continuity_state_store_up", () => store.IsConnected ? 1 : 0,
            description: "1 when the state store is reachable.");
        meter.CreateObservableGauge("continuity_route_version", () => table.Current.Version,
            description: "Route version of this node's snapshot.");
        meter.CreateObservableGauge("continuity_route_snapshot_age_seconds", () =>
            {
                var snapshot = table.Current;
                var verified = snapshots.LastVerifiedAt ?? snapshot.LoadedAt;
                return verified == DateTimeOffset.MinValue ? -1 : (time.GetUtcNow() - verified).TotalSeconds;
            },
            description: "Seconds since this node last confirmed its routes with the store (-1: never).");
        meter.CreateObservableCounter("continuity_route_snapshot_swaps", () => Interlocked.Read(ref _snapshotSwaps),
            description: "Route snapshots swapped in by this node.");
        meter.CreateObservableGauge("continuity_mail_queue_messages", () => queue.Count,
            description: "Messages in this node's mail spool.");
        meter.CreateObservableGauge("continuity_mail_queue_oldest_seconds", () => queue.OldestAge.TotalSeconds,
            description: "Age of the oldest message in this node's mail spool.");

        meter.CreateObservableGauge("continuity_route_users", () => PerProvider(tenants, table, (snapshot, tenant, provider, users) => users.GetValueOrDefault(provider)),
            description: "Users with an explicit route, per tenant and provider.");
        meter.CreateObservableGauge("continuity_route_tenant_default", () => PerProvider(tenants, table, (snapshot, tenant, provider, _) =>
                string.Equals(snapshot.Resolve(tenant, null), provider, StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            description: "1 for the provider that is the tenant's current default route.");

        meter.CreateObservableGauge("continuity_backend_up", () => backends.All.Select(b => new Measurement<int>(b.Up ? 1 : 0, BackendTags(b))),
            description: "1 when the last probe of the backend succeeded.");
        meter.CreateObservableGauge("continuity_backend_probe_age_seconds", () =>
                backends.All.Select(b => new Measurement<double>((time.GetUtcNow() - b.CheckedAt).TotalSeconds, BackendTags(b))),
            description: "Seconds since the backend was last probed.");

        meter.CreateObservableGauge("continuity_approvals_pending", () =>
                sampler.Current?.ApprovalsPending.Select(p => new Measurement<int>(p.Value, Tenant(p.Key))) ?? [],
            description: "Requests waiting for an admin's approval (a failover on hold under the two-person rule), per tenant. Page on it.");
        meter.CreateObservableGauge("continuity_mailbox_sync_users", () =>
                sampler.Current?.Sync.Select(r => new Measurement<int>(r.Users, Tenant(r.Tenant))) ?? [],
            description: "Users whose mailbox is copied to the sovereign side.");
        meter.CreateObservableGauge("continuity_mailbox_sync_stale_users", () =>
                sampler.Current?.Sync.Select(r => new Measurement<int>(r.StaleUsers, Tenant(r.Tenant))) ?? [],
            description: "Users whose sovereign copy lags more than the allowed lag (or never synced).");
        meter.CreateObservableGauge("continuity_mailbox_sync_max_lag_seconds", () =>
                sampler.Current?.Sync.Select(r => new Measurement<double>(r.MaxLagSeconds, Tenant(r.Tenant))) ?? [],
            description: "Largest lag of a sovereign copy behind its primary.");
    }

    private static IEnumerable<Measurement<int>> PerProvider(
        TenantDirectory tenants, RouteTable table, Func<RouteSnapshot, string, string, Dictionary<string, int>, int> value)
    {
        var snapshot = table.Current;
        foreach (var (id, tenant) in tenants.Options.Tenants)
        {
            var users = snapshot.Tenants.TryGetValue(id, out var routes)
                ? routes.UserOverrides.GroupBy(u => u.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var provider in tenant.Providers.Keys)
            {
                yield return new Measurement<int>(value(snapshot, id, provider, users), Tenant(id), new("provider", provider));
            }
        }
    }

    private static KeyValuePair<string, object?> Tenant(string tenant) => new("tenant", tenant);

    private static KeyValuePair<string, object?>[] BackendTags(BackendProbeResult b) =>
        [Tenant(b.Tenant), new("provider", b.Provider), new("kind", b.Kind), new("target", b.Target)];
}
