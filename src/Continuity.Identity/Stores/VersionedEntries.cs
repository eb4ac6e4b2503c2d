using StackExchange.Redis;

namespace Continuity.Identity.Stores;

/// <summary>
/// Entries kept as a HASH of version (<c>v</c>) and JSON (<c>d</c>), with index sets beside them.
/// Create and update are Lua scripts that check their condition (key absent; version unchanged) and
/// write in one atomic step, so two nodes racing to redeem one code cannot both win. They were
/// WATCH/MULTI/EXEC transactions once, and a conditional create was seen to come back false for a
/// fresh random key nobody else knew ("a token with this id already exists", a 500 at sign-in, about
/// once in five full test runs). A script has no client-side condition round and no WATCH to trip.
/// </summary>
internal sealed class VersionedEntries(StateStore store)
{
    private static readonly RedisValue[] Fields = ["v", "d"];

    // KEYS[1] the entry, KEYS[2..] its index sets; ARGV: json, entry ttl ms, id, index ttl ms.
    // An entry already holding exactly this JSON counts as created: a create is idempotent, so a
    // command the client library sent again after a dropped connection does not turn into a conflict.
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          if redis.call('HGET', KEYS[1], 'd') == ARGV[1] then return 1 end
          return 0
        end
        redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        for i = 2, #KEYS do
          redis.call('SADD', KEYS[i], ARGV[3])
          redis.call('PEXPIRE', KEYS[i], ARGV[4])
        end
        return 1
        """;

    // As above, with ARGV[5] the version the caller read; returns the new version or 0.
    private const string UpdateScript = """
        local v = redis.call('HGET', KEYS[1], 'v')
        if not v or tonumber(v) ~= tonumber(ARGV[5]) then return 0 end
        local next = tonumber(ARGV[5]) + 1
        redis.call('HSET', KEYS[1], 'v', next, 'd', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        for i = 2, #KEYS do
          redis.call('SADD', KEYS[i], ARGV[3])
          redis.call('PEXPIRE', KEYS[i], ARGV[4])
        end
        return next
        """;

    public Task<(string Json, long Version)?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        store.ReadAsync<(string, long)?>(async db =>
        {
            var values = await db.HashGetAsync(key, Fields).ConfigureAwait(false);
            return values[1].IsNull ? null : (values[1].ToString(), (long)values[0]);
        }, cancellationToken);

    public Task<List<(string Id, string Json, long Version)>> GetManyAsync(string indexKey, Func<string, string> keyOf, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            var ids = (await db.SetMembersAsync(indexKey).ConfigureAwait(false)).Select(v => v.ToString()).ToList();
            var batch = db.CreateBatch();
            var reads = ids.Select(id => batch.HashGetAsync(keyOf(id), Fields)).ToList();
            batch.Execute();
            var found = new List<(string, string, long)>(ids.Count);
            var gone = new List<RedisValue>();
            for (var i = 0; i < ids.Count; i++)
            {
                var values = await reads[i].ConfigureAwait(false);
                if (values[1].IsNull)
                {
                    gone.Add(ids[i]);
                }
                else
                {
                    found.Add((ids[i], values[1].ToString(), (long)values[0]));
                }
            }

            if (gone.Count > 0)
            {
                await db.SetRemoveAsync(indexKey, [.. gone]).ConfigureAwait(false);
            }

            return found;
        }, cancellationToken);

    /// <summary>Writes a new entry (false if the key holds another entry) and adds its id to the index sets.</summary>
    public Task<bool> CreateAsync(string key, string id, string json, TimeSpan ttl, IEnumerable<string> indexes, TimeSpan indexTtl, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
            (long)(await db.ScriptEvaluateAsync(CreateScript, KeysOf(key, indexes), [json, Milliseconds(ttl), id, Milliseconds(indexTtl)]).ConfigureAwait(false)) == 1, cancellationToken);

    /// <summary>Replaces the entry if its version is still <paramref name="expected"/>; returns the new version or null.</summary>
    public Task<long?> UpdateAsync(string key, string id, long expected, string json, TimeSpan ttl, IEnumerable<string> indexes, TimeSpan indexTtl, CancellationToken cancellationToken = default) =>
        store.RunAsync<long?>(async db =>
        {
            var result = (long)(await db.ScriptEvaluateAsync(UpdateScript, KeysOf(key, indexes), [json, Milliseconds(ttl), id, Milliseconds(indexTtl), expected]).ConfigureAwait(false));
            return result == 0 ? null : result;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string key, string id, IEnumerable<string> indexes, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            var deleted = tx.KeyDeleteAsync(key);
            foreach (var index in indexes)
            {
                _ = tx.SetRemoveAsync(index, id);
            }

            await tx.ExecuteAsync().ConfigureAwait(false);
            return await deleted.ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Lengthens a key's TTL to at least <paramref name="ttl"/> (never shortens it).</summary>
    public Task ExtendAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            var current = await db.KeyTimeToLiveAsync(key).ConfigureAwait(false);
            if (current is { } left && left < ttl)
            {
                await db.KeyExpireAsync(key, ttl).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    public Task<string?> GetStringAsync(string key, CancellationToken cancellationToken = default) =>
        store.ReadAsync<string?>(async db => (string?)await db.StringGetAsync(key).ConfigureAwait(false), cancellationToken);

    public Task SetStringAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        store.RunAsync(db => db.StringSetAsync(key, value, ttl), cancellationToken);

    private static RedisKey[] KeysOf(string key, IEnumerable<string> indexes) => [key, .. indexes.Select(i => (RedisKey)i)];

    // PEXPIRE takes a positive whole number of milliseconds; a zero TTL would delete the key at once.
    private static long Milliseconds(TimeSpan ttl) => Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds));
}
