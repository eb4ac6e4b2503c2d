using Continuity.Core.Audit;
using Continuity.Core.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Continuity.Core.Routing;

/// <summary>
/// Routes in the state store.
/// <code>
/// {continuity}:routes:version         STRING   integer, +1 on every route change. No TTL.
/// {continuity}:routes:tenant:{id}     HASH     "*" → tenant default provider (absent: the configured
///                                              DefaultProvider); "&lt;user address, lower case&gt;" → provider. No TTL.
/// {continuity}:routes:changed         CHANNEL  message: the new version, published by the change script.
/// </code>
/// A change is one script: check the version (and the audit head) read just before, write the
/// route, bump the version, append the audit record (to the tenant's own chain), publish. Nothing is half-done.
/// Each applied change is also one log line with its actor and reason, and counted (<c>continuity_route_changes_total</c>).
/// </summary>
public sealed partial class RouteStore(
    StateStore store, IOptions<ContinuityOptions> options, AuditKey auditKey, TimeProvider time,
    ContinuityMetrics? metrics = null, ILogger<RouteStore>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<RouteStore>.Instance;

    internal const string TenantField = "*";

    // KEYS: version, tenant hash, audit log, audit head. ARGV: field.
    // Returns { version, current value or '', audit count, audit head }.
    private const string ReadScript = """
        return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('HGET', KEYS[2], ARGV[1]) or '',
                 redis.call('LLEN', KEYS[3]), redis.call('GET', KEYS[4]) or '' }
        """;

    // KEYS: version, tenant hash, audit log, audit head.
    // ARGV: expected version, field, provider, expected audit head, audit JSON, audit hash, channel.
    // Returns { 'ok', new version } or { 'moved', current version }.
    private const string ChangeScript = """
        local v = tonumber(redis.call('GET', KEYS[1]) or '0')
        if v ~= tonumber(ARGV[1]) then return { 'moved', v } end
        if (redis.call('GET', KEYS[4]) or '') ~= ARGV[4] then return { 'moved', v } end
        redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
        local nv = redis.call('INCR', KEYS[1])
        redis.call('RPUSH', KEYS[3], ARGV[5])
        redis.call('SET', KEYS[4], ARGV[6])
        redis.call('PUBLISH', ARGV[7], tostring(nv))
        return { 'ok', nv }
        """;

    private const int MaxAttempts = 200;

    /// <summary>
    /// Applies <paramref name="change"/> (one atomic script). <paramref name="cancellationToken"/> is checked before each
    /// attempt: a retry after another writer moved the routes can be stopped, a change that was sent is waited for.
    /// </summary>
    public Task<RouteChangeResult> ChangeAsync(RouteChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var tenant = options.Value.Tenants[change.Tenant];
        var user = change.User?.ToLowerInvariant();
        var field = user ?? TenantField;
        var keys = new RedisKey[] { store.Keys.RouteVersion, store.Keys.TenantRoutes(change.Tenant), store.Keys.AuditLog(change.Tenant), store.Keys.AuditHead(change.Tenant) };
        return store.RunAsync(async db =>
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var read = (RedisResult[])(await db.ScriptEvaluateAsync(ReadScript, keys, [field]).ConfigureAwait(false))!;
                var version = (long)read[0];
                var stored = read[1].ToString();
                var before = stored is { Length: > 0 } ? stored
                    : user is null ? tenant.DefaultProvider
                    : await TenantDefaultAsync(db, change.Tenant, tenant).ConfigureAwait(false);

                if (change.ExpectedVersion is { } expected && expected != version)
                {
                    return new RouteChangeResult(RouteChangeStatus.VersionConflict, version, before, before);
                }

                // A user's explicit route is pinned even when it equals the tenant default today;
                // only an identical pin (or the tenant default itself) is a no-op.
                if (string.Equals(before, change.To, StringComparison.OrdinalIgnoreCase) && (change.User is null || stored is { Length: > 0 }))
                {
                    return new RouteChangeResult(RouteChangeStatus.Unchanged, version, before, before);
                }

                var record = AuditChain.Seal(
                    new AuditEntry(change.Actor, "route.changed", change.Tenant, user, before, change.To, change.Reason,
                        change.Details is null ? $"version {version + 1}" : $"version {version + 1}; {change.Details}"),
                    (long)read[2], read[3].ToString() ?? "", time.GetUtcNow(), auditKey);

                var result = (RedisResult[])(await db.ScriptEvaluateAsync(ChangeScript, keys,
                [
                    version, field, change.To, record.Prev, AuditChain.Serialize(record), record.Hash, store.Keys.RouteChannel,
                ]).ConfigureAwait(false))!;

                if (result[0].ToString() == "ok")
                {
                    metrics?.RouteChanged(change.Tenant, user is null);
                    Log.Changed(_logger, change.Tenant, user ?? "(tenant default)", before, change.To, (long)result[1], change.Actor,
                        AuditLog.ForLog(change.Reason), record.Seq);
                    return new RouteChangeResult(RouteChangeStatus.Applied, (long)result[1], before, change.To, record.Seq);
                }

                // Another node changed routes or appended to the audit log between read and write: read again
                // after a short random pause, so many writers at once take turns. A caller that pinned a
                // version gets its conflict on the next read.
                await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidOperationException("Routes kept changing under concurrent writers; try again.");
        }, cancellationToken);
    }

    /// <summary>Reads every configured tenant's routes at one version (one MULTI/EXEC).</summary>
    public Task<RouteSnapshot> LoadAsync(CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var tenants = options.Value.Tenants;
            var tx = db.CreateTransaction();
            var versionTask = tx.StringGetAsync(store.Keys.RouteVersion);
            var hashTasks = tenants.Keys.ToDictionary(t => t, t => tx.HashGetAllAsync(store.Keys.TenantRoutes(t)), StringComparer.OrdinalIgnoreCase);
            if (!await tx.ExecuteAsync().ConfigureAwait(false))
            {
                throw new StateUnavailableException("The route snapshot transaction was not executed.");
            }

            var version = (long)await versionTask.ConfigureAwait(false);
            var routes = new Dictionary<string, TenantRoutes>(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, tenant) in tenants)
            {
                var entries = await hashTasks[id].ConfigureAwait(false);
                routes[id] = Build(tenant, entries.Select(e => KeyValuePair.Create(e.Name.ToString(), e.Value.ToString())));
            }

            return new RouteSnapshot(version, time.GetUtcNow(), routes);
        }, cancellationToken);

    /// <summary>The current version only (the cheap periodic check).</summary>
    public Task<long> ReadVersionAsync(CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db => (long)await db.StringGetAsync(store.Keys.RouteVersion).ConfigureAwait(false), cancellationToken);

    /// <summary>Builds one tenant's routes from stored fields, ignoring providers the configuration no longer has.</summary>
    internal static TenantRoutes Build(TenantOptions tenant, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var defaultProvider = tenant.DefaultProvider;
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in fields)
        {
            if (tenant.FindProvider(value) is not { } provider)
            {
                continue;
            }

            if (field == TenantField)
            {
                defaultProvider = provider;
            }
            else
            {
                overrides[field] = provider;
            }
        }

        return new TenantRoutes(defaultProvider, overrides);
    }

    private async Task<string> TenantDefaultAsync(IDatabase db, string tenantId, TenantOptions tenant)
    {
        var value = await db.HashGetAsync(store.Keys.TenantRoutes(tenantId), TenantField).ConfigureAwait(false);
        return value.HasValue && tenant.FindProvider(value.ToString()) is { } provider ? provider : tenant.DefaultProvider;
    }
}
