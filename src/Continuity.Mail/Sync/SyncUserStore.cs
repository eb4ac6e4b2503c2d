using System.Text.Json;
using StackExchange.Redis;

namespace Continuity.Mail.Sync;

/// <summary>
/// Per user sync bookkeeping shared by all gateway nodes.
/// <code>
/// {continuity}:sync:lease:{tenant}:{user}   STRING  "{node id}:{run id}:{random}" of the node syncing the user now.
///                                                   TTL: LeaseDuration (renewed between batches). A restarted node
///                                                   takes back a lease of its own previous run at once.
/// {continuity}:sync:status:{tenant}         HASH    user → <see cref="UserSyncState"/> JSON, written after every run. No TTL.
/// {continuity}:sync:failback                SET     "{tenant} {user}" whose route returned to primary and whose
///                                                   sovereign → primary sync has not finished yet. No TTL.
/// </code>
/// The lease makes sure two nodes never sync the same mailbox at once (they would both APPEND the same message).
/// </summary>
internal sealed class SyncUserStore(StateStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // KEYS: lease. ARGV: token. Deletes or renews only our own lease.
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private const string RenewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    // KEYS: lease. ARGV: this node's prefix "{node}:", this run's prefix "{node}:{run}:", new token, ms.
    // Takes the lease only from an earlier run of this same node (it crashed holding it).
    private const string TakeOverScript = """
        local v = redis.call('GET', KEYS[1])
        if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] and string.sub(v, 1, #ARGV[2]) ~= ARGV[2] then
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
            return 1
        end
        return 0
        """;

    private string Lease(string tenant, string user) => $"{store.Keys.Prefix}sync:lease:{tenant}:{user}";

    private string Status(string tenant) => $"{store.Keys.Prefix}sync:status:{tenant}";

    private string Failback => $"{store.Keys.Prefix}sync:failback";

    public Task<bool> TryAcquireLeaseAsync(string tenant, string user, string token, TimeSpan duration) =>
        store.RunAsync(db => db.StringSetAsync(Lease(tenant, user), token, duration, When.NotExists));

    /// <summary>Takes over a lease left by this node's previous (crashed) run; never one of another node.</summary>
    public Task<bool> TryTakeOverLeaseAsync(string tenant, string user, string nodePrefix, string runPrefix, string token, TimeSpan duration) =>
        store.RunAsync(async db => (long)(await db.ScriptEvaluateAsync(TakeOverScript, [Lease(tenant, user)],
            [nodePrefix, runPrefix, token, (long)duration.TotalMilliseconds]).ConfigureAwait(false)) == 1);

    public Task<bool> RenewLeaseAsync(string tenant, string user, string token, TimeSpan duration) =>
        store.RunAsync(async db => (long)(await db.ScriptEvaluateAsync(RenewScript, [Lease(tenant, user)], [token, (long)duration.TotalMilliseconds]).ConfigureAwait(false)) == 1);

    public Task ReleaseLeaseAsync(string tenant, string user, string token) =>
        store.RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, [Lease(tenant, user)], [token]));

    public Task SaveStatusAsync(UserSyncState state) =>
        store.RunAsync(db => db.HashSetAsync(Status(state.Tenant), state.User, JsonSerializer.Serialize(state, Json)));

    public Task<UserSyncState?> GetStatusAsync(string tenant, string user, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db => await db.HashGetAsync(Status(tenant), user.ToLowerInvariant()).ConfigureAwait(false) is { HasValue: true } json
            ? JsonSerializer.Deserialize<UserSyncState>(json.ToString(), Json)
            : null, cancellationToken);

    public Task<IReadOnlyList<UserSyncState>> ListStatusAsync(string tenant, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IReadOnlyList<UserSyncState>>(async db =>
            [.. (await db.HashValuesAsync(Status(tenant)).ConfigureAwait(false)).Select(v => JsonSerializer.Deserialize<UserSyncState>(v.ToString(), Json)!).OrderBy(s => s.User, StringComparer.Ordinal)], cancellationToken);

    public Task AddFailbackAsync(string tenant, string user) =>
        store.RunAsync(db => db.SetAddAsync(Failback, $"{tenant} {user.ToLowerInvariant()}"));

    public Task RemoveFailbackAsync(string tenant, string user) =>
        store.RunAsync(db => db.SetRemoveAsync(Failback, $"{tenant} {user.ToLowerInvariant()}"));

    public Task<IReadOnlyList<(string Tenant, string User)>> ListFailbacksAsync() =>
        store.RunAsync<IReadOnlyList<(string, string)>>(async db =>
            [.. (await db.SetMembersAsync(Failback).ConfigureAwait(false)).Select(v => v.ToString().Split(' ', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1]))]);
}
