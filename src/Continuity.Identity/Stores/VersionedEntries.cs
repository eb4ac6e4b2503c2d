using Continuity.Core.State;
using StackExchange.Redis;

namespace Continuity.Identity.Stores;

/// <summary>
/// Entries kept as a HASH of version (<c>v</c>) and JSON (<c>d</c>), with index sets beside them.
/// Create and update are MULTI/EXEC transactions with a condition (key absent; version unchanged),
/// so two nodes racing to redeem one code cannot both win: the loser's EXEC is discarded.
/// </summary>
internal sealed class VersionedEntries(StateStore store)
{
    private static readonly RedisValue[] Fields = ["v", "d"];

    public Task<(string Json, long Version)?> GetAsync(string key) =>
        store.RunAsync<(string, long)?>(async db =>
        {
            var values = await db.HashGetAsync(key, Fields).ConfigureAwait(false);
            return values[1].IsNull ? null : (values[1].ToString(), (long)values[0]);
        });

    public Task<List<(string Id, string Json, long Version)>> GetManyAsync(string indexKey, Func<string, string> keyOf) =>
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
        });

    /// <summary>Writes a new entry (false if the key exists) and adds its id to the index sets.</summary>
    public Task<bool> CreateAsync(string key, string id, string json, TimeSpan ttl, IEnumerable<string> indexes, TimeSpan indexTtl) =>
        store.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.KeyNotExists(key));
            _ = tx.HashSetAsync(key, [new HashEntry("v", 1), new HashEntry("d", json)]);
            _ = tx.KeyExpireAsync(key, ttl);
            AddToIndexes(tx, id, indexes, indexTtl);
            return await tx.ExecuteAsync().ConfigureAwait(false);
        });

    /// <summary>Replaces the entry if its version is still <paramref name="expected"/>; returns the new version or null.</summary>
    public Task<long?> UpdateAsync(string key, string id, long expected, string json, TimeSpan ttl, IEnumerable<string> indexes, TimeSpan indexTtl) =>
        store.RunAsync<long?>(async db =>
        {
            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.HashEqual(key, "v", expected));
            _ = tx.HashSetAsync(key, [new HashEntry("v", expected + 1), new HashEntry("d", json)]);
            _ = tx.KeyExpireAsync(key, ttl);
            AddToIndexes(tx, id, indexes, indexTtl);
            return await tx.ExecuteAsync().ConfigureAwait(false) ? expected + 1 : null;
        });

    public Task<bool> DeleteAsync(string key, string id, IEnumerable<string> indexes) =>
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
        });

    /// <summary>Lengthens a key's TTL to at least <paramref name="ttl"/> (never shortens it).</summary>
    public Task ExtendAsync(string key, TimeSpan ttl) =>
        store.RunAsync(async db =>
        {
            var current = await db.KeyTimeToLiveAsync(key).ConfigureAwait(false);
            if (current is { } left && left < ttl)
            {
                await db.KeyExpireAsync(key, ttl).ConfigureAwait(false);
            }

            return true;
        });

    public Task<string?> GetStringAsync(string key) =>
        store.RunAsync<string?>(async db => (string?)await db.StringGetAsync(key).ConfigureAwait(false));

    public Task SetStringAsync(string key, string value, TimeSpan ttl) =>
        store.RunAsync(db => db.StringSetAsync(key, value, ttl));

    private static void AddToIndexes(ITransaction tx, string id, IEnumerable<string> indexes, TimeSpan indexTtl)
    {
        foreach (var index in indexes)
        {
            _ = tx.SetAddAsync(index, id);
            _ = tx.KeyExpireAsync(index, indexTtl);
        }
    }
}
