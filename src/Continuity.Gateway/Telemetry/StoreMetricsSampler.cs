namespace Continuity.Gateway.Telemetry;

/// <summary>
/// The metrics that live in the state store (pending approvals, mailbox sync), read into memory so the observable
/// gauges of <see cref="GatewayMetrics"/> can answer at once: OpenTelemetry calls gauges synchronously, the store is
/// a network round trip away. <c>/metrics</c> samples right before each scrape (so an approval filed a moment ago is
/// counted); the OTLP push samples on its own timer (<see cref="StoreMetricsRefresher"/>). While the store is
/// unreachable the sample is empty: these series are absent rather than stale (<c>continuity_state_store_up</c> says why).
/// </summary>
internal sealed class StoreMetricsSampler(TenantDirectory tenants, ApprovalStore approvals, MailboxSyncStatus sync, TimeProvider time) : IDisposable
{
    /// <summary>Longest a scrape waits for the store (its client gives up after 2 s anyway).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _sampling = new(1, 1);

    public StoreSample? Current { get; private set; }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _sampling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Current = await ReadAsync(cancellationToken).WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StateUnavailableException or TimeoutException or StackExchange.Redis.RedisException)
        {
            Current = null;
        }
        finally
        {
            _sampling.Release();
        }
    }

    public void Dispose() => _sampling.Dispose();

    private async Task<StoreSample> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = (await approvals.ListPendingAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => s.Request)
            .Where(r => r.ExpiresAt > now)
            .GroupBy(r => r.Tenant, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var rows = new List<SyncSummary>();
        foreach (var tenant in tenants.TenantIds)
        {
            var states = await sync.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
            rows.Add(new SyncSummary(tenant, states.Count, states.Count(sync.IsStale),
                states.Select(s => s.Lag(now)?.TotalSeconds ?? 0).DefaultIfEmpty(0).Max()));
        }

        return new StoreSample(tenants.TenantIds.ToDictionary(t => t, t => pending.GetValueOrDefault(t), StringComparer.OrdinalIgnoreCase), rows);
    }
}

/// <summary>What <see cref="StoreMetricsSampler"/> read: pending approvals per tenant (0 included) and each tenant's mailbox sync.</summary>
internal sealed record StoreSample(IReadOnlyDictionary<string, int> ApprovalsPending, IReadOnlyList<SyncSummary> Sync);

/// <summary>Per tenant: users with a sovereign copy, how many are stale, the largest lag in seconds.</summary>
internal sealed record SyncSummary(string Tenant, int Users, int StaleUsers, double MaxLagSeconds);
