using System.Globalization;
using System.Reflection;
using System.Text;
using Continuity.Core.Approvals;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Core.Health;
using Continuity.Core.Listeners;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.State;
using Continuity.Core.Tenants;
using Continuity.Mail.Delivery;
using Continuity.Mail.Queue;
using Continuity.Mail.Sync;
using Microsoft.Extensions.Options;

namespace Continuity.Gateway.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (routes available: store reachable
/// or a fail-static snapshot loaded) are public. <c>/health/status</c> (JSON for people and dashboards) and
/// <c>/metrics</c> (Prometheus text format 0.0.4) tell who failed over, how many users moved and where the
/// backends and the store are, so they need an admin credential (and show that admin's tenant only) or the
/// management listener (every tenant; see <see cref="ManagementListener"/>).
/// </summary>
internal static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static IEndpointRouteBuilder MapContinuityHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Text("live\n"));
        app.MapGet("/health/ready", (StateStore store, RouteTable table) =>
            store.IsConnected || table.IsLoaded
                ? Results.Text(store.IsConnected ? "ready\n" : "ready (fail-static: routing from the last snapshot)\n")
                : Results.Text("not ready: no route snapshot and the state store is unreachable\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/health/status", Status).RequireAuthorization(ManagementListener.PolicyName);
        app.MapGet("/metrics", Metrics).RequireAuthorization(ManagementListener.PolicyName);
        return app;
    }

    private static async Task<IResult> Status(HttpContext http, IOptions<ContinuityOptions> options, StateStore store, RouteTable table, RouteSnapshotService snapshots, TenantDirectory tenants, ListenerRegistry listeners, MailQueue queue, BackendHealthRegistry backends, MailboxSyncStatus sync, FailoverService failover, WithheldSuggestions withheld, TimeProvider time)
    {
        var visible = ManagementListener.Visible(http, options.Value.Listeners);
        var snapshot = table.Current;
        var pending = await PendingAsync(failover);
        return Results.Ok(new
        {
            version = Version,
            time = time.GetUtcNow(),
            store = new { mode = store.Mode, endpoint = store.Endpoint, reachable = store.IsConnected },
            routes = new
            {
                version = snapshot.Version,
                loadedAt = snapshot.LoadedAt,
                lastVerifiedAt = snapshots.LastVerifiedAt,
                failStatic = !store.IsConnected,
            },
            tenants = tenants.Options.Tenants.Where(t => visible(t.Key)).Select(t => new
            {
                id = t.Key,
                domains = t.Value.Domains,
                defaultProvider = snapshot.Resolve(t.Key, null),
                providers = t.Value.Providers.Keys,
                usersPerProvider = UsersPerProvider(snapshot, t.Key),
                // Why each pending request exists (a signal's evidence, an admin's reason); null while the store is down.
                pendingApprovals = pending?.Where(r => r.Tenant == t.Key).Select(r => new
                {
                    id = r.Id,
                    kind = r.Kind ?? "route",
                    user = r.User,
                    from = r.From,
                    to = r.To,
                    requestedBy = r.RequestedBy,
                    requestedAt = r.RequestedAt,
                    reason = r.Reason,
                    evidence = r.Evidence,
                    approvedBy = r.ApprovedBy,
                    requiredApprovals = r.RequiredApprovals,
                    expiresAt = r.ExpiresAt,
                }),
                // Tenant-wide signals this node did not suggest, because the provider they would move the tenant to is down too.
                withheldSuggestions = withheld.All.Where(w => w.Tenant == t.Key).Select(w => new
                {
                    provider = w.Provider,
                    wouldMoveTo = w.Target,
                    why = $"{w.Target} is down too",
                    targetDown = w.TargetDown,
                    source = w.Source,
                    evidence = w.Evidence,
                    since = w.Since,
                    lastSeen = w.LastSeen,
                }),
            }),
            listeners = listeners.All,
            mailQueue = new { messages = queue.Count, oldestAgeSeconds = queue.OldestAge.TotalSeconds },
            mailDelivery = tenants.Options.Tenants.Where(t => visible(t.Key))
                .SelectMany(t => DeliveryGuarantee.For(t.Key, t.Value))
                .Select(g => new { tenant = g.Tenant, provider = g.Provider, guarantee = g.Guarantee, why = g.Why }),
            backends = backends.All.Where(b => visible(b.Tenant)),
            mailboxSync = await SyncSummaryAsync(tenants, sync, time, visible),
        });
    }

    private static async Task<IResult> Metrics(HttpContext http, IOptions<ContinuityOptions> options, StateStore store, RouteTable table, RouteSnapshotService snapshots, TenantDirectory tenants, GatewayMetrics metrics, MailQueue queue, BackendHealthRegistry backends, MailboxSyncStatus sync, TimeProvider time)
    {
        var visible = ManagementListener.Visible(http, options.Value.Listeners);
        var snapshot = table.Current;
        var text = new StringBuilder();
        Gauge(text, "continuity_state_store_up", "1 when the state store is reachable.", store.IsConnected ? 1 : 0);
        Gauge(text, "continuity_route_version", "Route version of this node's snapshot.", snapshot.Version);
        var verified = snapshots.LastVerifiedAt ?? snapshot.LoadedAt;
        Gauge(text, "continuity_route_snapshot_age_seconds", "Seconds since this node last confirmed its routes with the store.",
            verified == DateTimeOffset.MinValue ? -1 : (time.GetUtcNow() - verified).TotalSeconds);
        Counter(text, "continuity_route_snapshot_swaps_total", "Route snapshots swapped in by this node.", metrics.SnapshotSwaps);
        Gauge(text, "continuity_mail_queue_messages", "Messages in this node's mail spool.", queue.Count);
        Gauge(text, "continuity_mail_queue_oldest_seconds", "Age of the oldest message in this node's mail spool.", queue.OldestAge.TotalSeconds);

        text.Append("# HELP continuity_route_users Users with an explicit route, per tenant and provider.\n# TYPE continuity_route_users gauge\n");
        foreach (var (id, tenant) in tenants.Options.Tenants.Where(t => visible(t.Key)))
        {
            var perProvider = UsersPerProvider(snapshot, id);
            foreach (var provider in tenant.Providers.Keys)
            {
                Line(text, "continuity_route_users", $"tenant=\"{id}\",provider=\"{provider}\"", perProvider.GetValueOrDefault(provider));
            }
        }

        text.Append("# HELP continuity_route_tenant_default 1 for the provider that is the tenant's current default route.\n# TYPE continuity_route_tenant_default gauge\n");
        foreach (var (id, tenant) in tenants.Options.Tenants.Where(t => visible(t.Key)))
        {
            foreach (var provider in tenant.Providers.Keys)
            {
                Line(text, "continuity_route_tenant_default", $"tenant=\"{id}\",provider=\"{provider}\"",
                    string.Equals(snapshot.Resolve(id, null), provider, StringComparison.OrdinalIgnoreCase) ? 1 : 0);
            }
        }

        text.Append("# HELP continuity_backend_up 1 when the last probe of the backend succeeded.\n# TYPE continuity_backend_up gauge\n");
        foreach (var b in backends.All.Where(b => visible(b.Tenant)))
        {
            Line(text, "continuity_backend_up", $"tenant=\"{b.Tenant}\",provider=\"{b.Provider}\",kind=\"{b.Kind}\",target=\"{b.Target}\"", b.Up ? 1 : 0);
        }

        text.Append("# HELP continuity_backend_probe_age_seconds Seconds since the backend was last probed.\n# TYPE continuity_backend_probe_age_seconds gauge\n");
        foreach (var b in backends.All.Where(b => visible(b.Tenant)))
        {
            Line(text, "continuity_backend_probe_age_seconds", $"tenant=\"{b.Tenant}\",provider=\"{b.Provider}\",kind=\"{b.Kind}\",target=\"{b.Target}\"", (time.GetUtcNow() - b.CheckedAt).TotalSeconds);
        }

        await AppendSyncMetricsAsync(text, tenants, sync, time, visible);
        return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static async Task<IReadOnlyList<ApprovalRequest>?> PendingAsync(FailoverService failover)
    {
        try
        {
            return await failover.ListPendingAsync();
        }
        catch (StateUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Per tenant: users with a sovereign copy, how many are stale, the largest lag; null while the store is down.</summary>
    private static async Task<List<SyncSummary>?> SyncSummaryAsync(TenantDirectory tenants, MailboxSyncStatus sync, TimeProvider time, Func<string, bool> visible)
    {
        var rows = new List<SyncSummary>();
        try
        {
            foreach (var tenant in tenants.TenantIds.Where(visible))
            {
                var states = await sync.ListAsync(tenant);
                var now = time.GetUtcNow();
                rows.Add(new SyncSummary(tenant, states.Count, states.Count(sync.IsStale), states.Select(s => s.Lag(now)?.TotalSeconds ?? 0).DefaultIfEmpty(0).Max()));
            }
        }
        catch (StateUnavailableException)
        {
            return null;
        }

        return rows;
    }

    private static async Task AppendSyncMetricsAsync(StringBuilder text, TenantDirectory tenants, MailboxSyncStatus sync, TimeProvider time, Func<string, bool> visible)
    {
        if (await SyncSummaryAsync(tenants, sync, time, visible) is not { } rows)
        {
            return;
        }

        text.Append("# HELP continuity_mailbox_sync_users Users whose mailbox is copied to the sovereign side.\n# TYPE continuity_mailbox_sync_users gauge\n");
        rows.ForEach(r => Line(text, "continuity_mailbox_sync_users", $"tenant=\"{r.Tenant}\"", r.Users));
        text.Append("# HELP continuity_mailbox_sync_stale_users Users whose sovereign copy lags more than the allowed lag (or never synced).\n# TYPE continuity_mailbox_sync_stale_users gauge\n");
        rows.ForEach(r => Line(text, "continuity_mailbox_sync_stale_users", $"tenant=\"{r.Tenant}\"", r.StaleUsers));
        text.Append("# HELP continuity_mailbox_sync_max_lag_seconds Largest lag of a sovereign copy behind its primary.\n# TYPE continuity_mailbox_sync_max_lag_seconds gauge\n");
        rows.ForEach(r => Line(text, "continuity_mailbox_sync_max_lag_seconds", $"tenant=\"{r.Tenant}\"", r.MaxLagSeconds));
    }

    private sealed record SyncSummary(string Tenant, int Users, int StaleUsers, double MaxLagSeconds);

    private static Dictionary<string, int> UsersPerProvider(RouteSnapshot snapshot, string tenant) =>
        snapshot.Tenants.TryGetValue(tenant, out var routes)
            ? routes.UserOverrides.GroupBy(u => u.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase)
            : [];

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");
        Line(text, name, null, value);
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        Line(text, name, null, value);
    }

    private static void Line(StringBuilder text, string name, string? labels, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"{name}{(labels is null ? "" : "{" + labels + "}")} {value}\n");
}
