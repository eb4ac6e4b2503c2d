using Continuity.Core.Health;
using Continuity.Core.Routing;
using Continuity.Core.Users;

namespace Continuity.Gateway.Console;

/// <summary>
/// What the Overview page shows for one tenant, read from the services <c>/health/status</c> and the admin API read:
/// each provider's live health per channel (this node's probes), users per provider, pending approvals, recent
/// cut-off signals (the audit's <c>signal.recorded</c> records), the sync lag summary and the store's fail-static state.
/// </summary>
internal sealed record TenantOverview(
    string Tenant,
    string? DisplayName,
    string CurrentDefault,
    string Sovereign,
    int RequiredApprovals,
    IReadOnlyList<ProviderOverview> Providers,
    IReadOnlyList<ApprovalRequest> Pending,
    IReadOnlyList<AuditRecord> RecentSignals,
    SyncSummary? Sync,
    StoreState Store)
{
    /// <summary>The channels shown per provider, in this order; <c>web</c> stands for every proxied app (<c>app:*</c>).</summary>
    public static readonly string[] Channels = ["identity", "inbound", "imap", "submission", "web"];

    /// <summary>How many recent signals the overview lists.</summary>
    public const int SignalCount = 8;

    /// <summary>How far back in the tenant's chain the overview looks for signals.</summary>
    public const int SignalWindow = 300;

    public static async Task<TenantOverview> BuildAsync(string tenantId, IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var tenant = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ContinuityOptions>>().Value.Tenants[tenantId];
        var table = services.GetRequiredService<RouteTable>();
        var store = services.GetRequiredService<StateStore>();
        var snapshots = services.GetRequiredService<RouteSnapshotService>();
        var backends = services.GetRequiredService<BackendHealthRegistry>().All.Where(b => string.Equals(b.Tenant, tenantId, StringComparison.OrdinalIgnoreCase)).ToList();
        var snapshot = table.Current;
        var storeState = new StoreState(store.Mode, store.IsConnected, snapshot.Version, snapshot.LoadedAt, snapshots.LastVerifiedAt);

        // What needs the store: read together; an unreachable store leaves them empty and the page says so.
        IReadOnlyList<string> users = [];
        IReadOnlyList<ApprovalRequest> pending = [];
        IReadOnlyList<AuditRecord> signals = [];
        SyncSummary? sync = null;
        if (store.IsConnected)
        {
            try
            {
                users = await services.GetRequiredService<UserDirectory>().ListAsync(tenantId, cancellationToken);
                pending = (await services.GetRequiredService<FailoverService>().ListPendingAsync(cancellationToken)).Where(r => string.Equals(r.Tenant, tenantId, StringComparison.OrdinalIgnoreCase)).ToList();
                signals = (await services.GetRequiredService<AuditLog>().TailAsync(tenantId, SignalWindow, cancellationToken))
                    .Where(r => r.Action == "signal.recorded").OrderByDescending(r => r.Seq).Take(SignalCount).ToList();
                sync = await SyncSummary.ReadAsync(tenantId, services.GetRequiredService<MailboxSyncStatus>(), services.GetRequiredService<TimeProvider>(), cancellationToken);
            }
            catch (StateUnavailableException)
            {
            }
        }

        var everyone = users.Concat(tenant.Users.Select(u => u.ToLowerInvariant())).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var providers = tenant.Providers.Select(p => new ProviderOverview(
            p.Key,
            p.Value.DisplayName,
            everyone.Count(u => string.Equals(snapshot.Resolve(tenantId, u), p.Key, StringComparison.OrdinalIgnoreCase)),
            Channels.ToDictionary(c => c, c => ChannelHealth.Of(c, p.Key, p.Value, backends)))).ToList();
        return new TenantOverview(tenantId, tenant.DisplayName, snapshot.Resolve(tenantId, null) ?? tenant.DefaultProvider, tenant.ResolveSovereignProvider(),
            tenant.Failover.Approvals, providers, pending, signals, sync, storeState);
    }
}

/// <summary>One provider on the overview: users routed to it and each channel's health.</summary>
internal sealed record ProviderOverview(string Name, string? DisplayName, int Users, IReadOnlyDictionary<string, ChannelHealth> Channels);

/// <summary>A channel's state: <c>up</c>, <c>down</c>, <c>unknown</c> (configured, not probed yet) or <c>none</c> (not configured).</summary>
internal sealed record ChannelHealth(string State, string Detail, DateTimeOffset? CheckedAt, DateTimeOffset? DownSince)
{
    public static ChannelHealth Of(string channel, string provider, ProviderOptions options, IReadOnlyList<BackendProbeResult> backends)
    {
        var configured = channel switch
        {
            "identity" => options.Identity is not null,
            "inbound" => options.Mail?.Inbound is not null,
            "imap" => options.Mail?.Imap is not null,
            "submission" => options.Mail?.Submission is not null,
            _ => options.Apps.Count > 0,
        };
        var probes = backends.Where(b => string.Equals(b.Provider, provider, StringComparison.OrdinalIgnoreCase)
            && (channel == "web" ? b.Kind.StartsWith("app:", StringComparison.Ordinal) : b.Kind == channel)).ToList();
        if (probes.Count == 0)
        {
            return configured ? new ChannelHealth("unknown", "not probed yet", null, null) : new ChannelHealth("none", "not configured", null, null);
        }

        var down = probes.Where(p => !p.Up).ToList();
        var latest = probes.Max(p => p.CheckedAt);
        return down.Count == 0
            ? new ChannelHealth("up", string.Join("; ", probes.Select(p => $"{p.Target}: {p.Detail}")), latest, null)
            : new ChannelHealth("down", string.Join("; ", down.Select(p => $"{p.Target}: {p.Detail}")), latest, down.Min(p => p.DownSince));
    }
}

/// <summary>Mailbox sync per tenant: users with a sovereign copy, how many lag beyond <c>MaxLag</c> (or never synced), the largest lag, errors.</summary>
internal sealed record SyncSummary(int Users, int Stale, double MaxLagSeconds, int WithErrors, TimeSpan MaxLag)
{
    public static async Task<SyncSummary> ReadAsync(string tenant, MailboxSyncStatus sync, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var states = await sync.ListAsync(tenant, cancellationToken);
        var now = time.GetUtcNow();
        return new SyncSummary(states.Count, states.Count(sync.IsStale), states.Select(s => s.Lag(now)?.TotalSeconds ?? 0).DefaultIfEmpty(0).Max(),
            states.Count(s => s.LastError is not null), sync.MaxLag);
    }
}

/// <summary>The state store as this node sees it: reachable, or fail-static (routing from the last snapshot).</summary>
internal sealed record StoreState(string Mode, bool Reachable, long RouteVersion, DateTimeOffset LoadedAt, DateTimeOffset? LastVerifiedAt)
{
    public bool FailStatic => !Reachable;
}
