namespace Continuity.Gateway.Drills;

/// <summary>
/// Drill reports in the state store, per tenant:
/// <code>
/// {continuity}:drills:{tenant}        ZSET    report id → start (unix ms); the newest <see cref="Kept"/> are kept. No TTL.
/// {continuity}:drills:{tenant}:{id}   STRING  DrillReport JSON, rewritten after every step (a running drill shows its
///                                             progress on every node). TTL <see cref="Retention"/>.
/// </code>
/// </summary>
internal sealed class DrillStore(StateStore store)
{
    /// <summary>Reports kept per tenant: a drill a week for about four years.</summary>
    public const int Kept = 200;

    /// <summary>How long a report is kept: a year of drills to show an auditor.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(366);

    public Task SaveAsync(DrillReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = JsonSerializer.Serialize(report, DrillJsonContext.Default.DrillReport);
        return store.RunAsync(async db =>
        {
            var index = IndexKey(report.Tenant);
            await db.StringSetAsync(ReportKey(report.Tenant, report.Id), json, Retention).ConfigureAwait(false);
            await db.SortedSetAddAsync(index, report.Id, report.StartedAt.ToUnixTimeMilliseconds()).ConfigureAwait(false);
            await db.SortedSetRemoveRangeByRankAsync(index, 0, -Kept - 1).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<DrillReport?> GetAsync(string tenant, string id, CancellationToken cancellationToken = default) =>
        store.ReadAsync<DrillReport?>(async db =>
        {
            var json = await db.StringGetAsync(ReportKey(tenant, id)).ConfigureAwait(false);
            return json.HasValue ? JsonSerializer.Deserialize(json.ToString(), DrillJsonContext.Default.DrillReport) : null;
        }, cancellationToken);

    /// <summary>The newest <paramref name="count"/> reports of the tenant, newest first.</summary>
    public Task<List<DrillReport>> ListAsync(string tenant, int count, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var ids = await db.SortedSetRangeByRankAsync(IndexKey(tenant), 0, count - 1, StackExchange.Redis.Order.Descending).ConfigureAwait(false);
            var reports = new List<DrillReport>();
            foreach (var id in ids)
            {
                var json = await db.StringGetAsync(ReportKey(tenant, id.ToString())).ConfigureAwait(false);
                if (json.HasValue && JsonSerializer.Deserialize(json.ToString(), DrillJsonContext.Default.DrillReport) is { } report)
                {
                    reports.Add(report);
                }
            }

            return reports;
        }, cancellationToken);

    private string IndexKey(string tenant) => store.Keys.Prefix + "drills:" + tenant.ToLowerInvariant();

    private string ReportKey(string tenant, string id) => IndexKey(tenant) + ":" + id;
}
