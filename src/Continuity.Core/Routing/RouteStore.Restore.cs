using Continuity.Core.Audit;

namespace Continuity.Core.Routing;

/// <summary>
/// Putting routes back into a store that lost them (restarted without persistence, flushed, failed
/// over to a replica that was behind). A node that finds the store's version below its own
/// snapshot's writes its snapshot back rather than following the store — otherwise every user
/// moved to the sovereign side would silently return to the provider that cut them off.
/// </summary>
public sealed partial class RouteStore
{
    /// <summary>The audit chain of gateway-wide records (not one tenant's).</summary>
    public const string SystemTenant = "*";

    // KEYS: version, audit log, audit head, then one hash per tenant.
    // ARGV: snapshot version, expected audit head, audit JSON, audit hash, channel,
    //       then per tenant (in KEYS order): field count n, then n field/value pairs.
    // Returns { 'ok', version } or { 'skip', store version } when the store is not behind (any more).
    private const string RestoreScript = """
        local v = tonumber(redis.call('GET', KEYS[1]) or '0')
        local target = tonumber(ARGV[1])
        if v >= target then return { 'skip', v } end
        if (redis.call('GET', KEYS[3]) or '') ~= ARGV[2] then return { 'moved', v } end
        local a = 6
        for k = 4, #KEYS do
            redis.call('DEL', KEYS[k])
            local n = tonumber(ARGV[a]); a = a + 1
            for i = 1, n do
                redis.call('HSET', KEYS[k], ARGV[a], ARGV[a + 1]); a = a + 2
            end
        end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('RPUSH', KEYS[2], ARGV[3])
        redis.call('SET', KEYS[3], ARGV[4])
        redis.call('PUBLISH', ARGV[5], ARGV[1])
        return { 'ok', target }
        """;

    /// <summary>
    /// Writes <paramref name="snapshot"/> back when the store's route version is below it. Returns
    /// true when this call restored the routes; false when the store was not behind (another node
    /// may have restored it first).
    /// </summary>
    public Task<bool> RestoreAsync(RouteSnapshot snapshot, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tenants = snapshot.Tenants.Where(t => options.Value.Tenants.ContainsKey(t.Key)).ToList();
        // The restore record is gateway-wide: it goes to the chain of tenant "*".
        var keys = new List<RedisKey> { store.Keys.RouteVersion, store.Keys.AuditLog(SystemTenant), store.Keys.AuditHead(SystemTenant) };
        keys.AddRange(tenants.Select(t => (RedisKey)store.Keys.TenantRoutes(t.Key)));
        var overrides = tenants.Sum(t => t.Value.UserOverrides.Count);
        return store.RunAsync(async db =>
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var (count, head) = await AuditLog.ReadHeadAsync(db, [store.Keys.AuditLog(SystemTenant), store.Keys.AuditHead(SystemTenant)]).ConfigureAwait(false);
                var storeVersion = await ReadVersionAsync(cancellationToken).ConfigureAwait(false);
                var record = AuditChain.Seal(
                    new AuditEntry(actor, "routes.restored", SystemTenant, Reason: "the state store had lost its routes",
                        Details: string.Create(CultureInfo.InvariantCulture,
                            $"store was at version {storeVersion}; restored version {snapshot.Version} ({overrides} user routes) from this node's snapshot; audit records before this one were lost with the store")),
                    count, head, time.GetUtcNow(), auditKey);
                var args = new List<RedisValue> { snapshot.Version, head, AuditChain.Serialize(record), record.Hash, store.Keys.RouteChannel };
                foreach (var (_, routes) in tenants)
                {
                    args.Add(routes.UserOverrides.Count + 1);
                    args.Add(TenantField);
                    args.Add(routes.DefaultProvider);
                    foreach (var (user, provider) in routes.UserOverrides)
                    {
                        args.Add(user);
                        args.Add(provider);
                    }
                }

                var result = (RedisResult[])(await db.ScriptEvaluateAsync(RestoreScript, [.. keys], [.. args]).ConfigureAwait(false))!;
                switch (result[0].ToString())
                {
                    case "ok":
                        return true;
                    case "skip":
                        return false;
                }

                await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidOperationException("The audit log kept moving while restoring routes; try again.");
        }, cancellationToken);
    }
}
