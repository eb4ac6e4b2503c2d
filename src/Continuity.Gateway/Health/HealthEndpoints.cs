using System.Reflection;
using Continuity.Core.Health;
using Continuity.Core.Listeners;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Mail.Delivery;
using Continuity.Gateway.Telemetry;
using Continuity.Mail.Queue;

namespace Continuity.Gateway.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (routes available: store reachable
/// or a fail-static snapshot loaded) are public. <c>/health/status</c> (JSON for people and dashboards) and
/// <c>/metrics</c> (Prometheus text through OpenTelemetry, <see cref="Telemetry.GatewayTelemetry"/>) tell who failed over, how many users moved and where the
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
        app.MapContinuityMetrics();
        return app;
    }

    private static async Task<IResult> Status(HttpContext http, IOptions<ContinuityOptions> options, StateStore store, RouteTable table, RouteSnapshotService snapshots, TenantDirectory tenants, ListenerRegistry listeners, MailQueue queue, BackendHealthRegistry backends, MailboxSyncStatus sync, FailoverService failover, WithheldSuggestions withheld, TimeProvider time, CancellationToken cancellationToken)
    {
        var visible = ManagementListener.Visible(http, options.Value.Listeners);
        var snapshot = table.Current;
        var pending = await PendingAsync(failover, cancellationToken);
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
            mailboxSync = await SyncSummaryAsync(tenants, sync, time, visible, cancellationToken),
        });
    }

    private static async Task<IReadOnlyList<ApprovalRequest>?> PendingAsync(FailoverService failover, CancellationToken cancellationToken)
    {
        try
        {
            return await failover.ListPendingAsync(cancellationToken);
        }
        catch (StateUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Per tenant: users with a sovereign copy, how many are stale, the largest lag; null while the store is down.</summary>
    private static async Task<List<SyncSummary>?> SyncSummaryAsync(
        TenantDirectory tenants, MailboxSyncStatus sync, TimeProvider time, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        var rows = new List<SyncSummary>();
        try
        {
            foreach (var tenant in tenants.TenantIds.Where(visible))
            {
                var states = await sync.ListAsync(tenant, cancellationToken);
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

    private sealed record SyncSummary(string Tenant, int Users, int StaleUsers, double MaxLagSeconds);

    private static Dictionary<string, int> UsersPerProvider(RouteSnapshot snapshot, string tenant) =>
        snapshot.Tenants.TryGetValue(tenant, out var routes)
            ? routes.UserOverrides.GroupBy(u => u.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase)
            : [];
}
