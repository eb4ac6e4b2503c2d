using StackExchange.Redis;

namespace Continuity.Mail.Sync;

/// <summary>
/// Per user and source folder checkpoints of the primary → sovereign copy (failback writes into the same ones).
/// <code>
/// {continuity}:sync:{tenant}:{user}:folders         SET   source folder full names that have a checkpoint. No TTL.
/// {continuity}:sync:{tenant}:{user}:f:{folder}:state   HASH  sv (source UIDVALIDITY), dv (destination UIDVALIDITY),
///                                                          df (destination folder), last (last source UID handled),
///                                                          ms (source HIGHESTMODSEQ carried over), dms (destination
///                                                          HIGHESTMODSEQ after the last run), seen (destination UIDs up
///                                                          to this one indexed). No TTL.
/// {continuity}:sync:{tenant}:{user}:f:{folder}:map     HASH  source UID → destination UID. No TTL.
/// {continuity}:sync:{tenant}:{user}:f:{folder}:rmap    HASH  destination UID → source UID. No TTL.
/// {continuity}:sync:{tenant}:{user}:f:{folder}:foreign HASH  message key (<see cref="MessageKey"/>) → destination UIDs
///                                                          (space separated) this sync did not make and no source
///                                                          message claimed yet: continuity copies from the MX, and
///                                                          APPENDs whose checkpoint write was lost in a crash. No TTL.
/// {continuity}:sync:{tenant}:{user}:f:{folder}:failed  HASH  source UID → reason it could not be copied; retried every run. No TTL.
/// </code>
/// Every update of a folder is one MULTI/EXEC, so a crash leaves either the whole batch recorded or none of it; all keys
/// share the prefix's hash tag, so the transaction is valid on a Redis Cluster too. Only the holder of the user's
/// lease (<see cref="SyncUserStore"/>) writes them.
/// </summary>
internal sealed class FolderCheckpointStore(StateStore store)
{
    private string User(FolderKey key) => $"{store.Keys.Prefix}sync:{key.Tenant}:{key.User}:";

    private string Folder(FolderKey key, string part) => $"{User(key)}f:{key.Folder}:{part}";

    public Task<FolderCheckpoint?> GetAsync(FolderKey key) =>
        store.RunAsync(async db =>
        {
            var fields = (await db.HashGetAllAsync(Folder(key, "state")).ConfigureAwait(false)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
            if (fields.Count == 0)
            {
                return null;
            }

            uint U(string f) => fields.TryGetValue(f, out var v) ? uint.Parse(v, CultureInfo.InvariantCulture) : 0;
            ulong L(string f) => fields.TryGetValue(f, out var v) ? ulong.Parse(v, CultureInfo.InvariantCulture) : 0;
            return new FolderCheckpoint(U("sv"), U("dv"), fields.GetValueOrDefault("df", ""), U("last"), L("ms"), L("dms"), U("seen"));
        });

    public Task<IReadOnlyList<string>> ListFoldersAsync(string tenant, string user) =>
        store.RunAsync<IReadOnlyList<string>>(async db =>
            [.. (await db.SetMembersAsync(User(new FolderKey(tenant, user, "")) + "folders").ConfigureAwait(false)).Select(n => n.ToString()).Order(StringComparer.Ordinal)]);

    /// <summary>Forgets everything about the folder and starts again from <paramref name="fresh"/> (UIDVALIDITY changed).</summary>
    public Task ResetAsync(FolderKey key, FolderCheckpoint fresh) =>
        store.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            _ = tx.KeyDeleteAsync([Folder(key, "map"), Folder(key, "rmap"), Folder(key, "foreign"), Folder(key, "failed"), Folder(key, "state")]);
            _ = tx.SetAddAsync(User(key) + "folders", key.Folder);
            _ = tx.HashSetAsync(Folder(key, "state"), StateEntries(fresh));
            return await tx.ExecuteAsync().ConfigureAwait(false);
        });

    /// <summary>Destination UIDs of the given source UIDs that are mapped.</summary>
    public Task<Dictionary<uint, uint>> GetDestinationsAsync(FolderKey key, IReadOnlyList<uint> sourceUids) =>
        LookupAsync(Folder(key, "map"), sourceUids);

    /// <summary>Source UIDs of the given destination UIDs that are mapped.</summary>
    public Task<Dictionary<uint, uint>> GetSourcesAsync(FolderKey key, IReadOnlyList<uint> destinationUids) =>
        LookupAsync(Folder(key, "rmap"), destinationUids);

    /// <summary>
    /// Mappings whose source UID (forward: the primary's, from <c>map</c>; failback: the sovereign's, from <c>rmap</c>)
    /// satisfies <paramref name="wanted"/>, as (source, destination). Read in HSCAN pages, so a 100k-message folder's map
    /// is never held whole; only the matches are (deletion checks).
    /// </summary>
    public Task<List<(uint Source, uint Destination)>> FindMappingsAsync(FolderKey key, bool forward, Func<uint, bool> wanted) =>
        store.RunAsync(async db =>
        {
            var found = new List<(uint Source, uint Destination)>();
            await foreach (var entry in db.HashScanAsync(Folder(key, forward ? "map" : "rmap"), pageSize: 1000).ConfigureAwait(false))
            {
                var source = Uid(entry.Name);
                if (wanted(source))
                {
                    found.Add((source, Uid(entry.Value)));
                }
            }

            return found;
        });

    public Task<Dictionary<string, List<uint>>> GetForeignAsync(FolderKey key) =>
        store.RunAsync(async db => (await db.HashGetAllAsync(Folder(key, "foreign")).ConfigureAwait(false))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => uint.Parse(u, CultureInfo.InvariantCulture)).ToList(), StringComparer.Ordinal));

    public Task<Dictionary<uint, string>> GetFailedAsync(FolderKey key) =>
        store.RunAsync(async db => (await db.HashGetAllAsync(Folder(key, "failed")).ConfigureAwait(false)).ToDictionary(e => Uid(e.Name), e => e.Value.ToString()));

    /// <summary>Mapped plus failed source messages: what the source folder holds up to <c>last</c> when nothing was expunged.</summary>
    public Task<long> CountKnownAsync(FolderKey key) =>
        store.RunAsync(async db => await db.HashLengthAsync(Folder(key, "map")).ConfigureAwait(false) + await db.HashLengthAsync(Folder(key, "failed")).ConfigureAwait(false));

    public Task CommitAsync(FolderKey key, CheckpointUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return store.RunAsync(async db =>
        {
            var tx = db.CreateTransaction();
            var map = Folder(key, "map");
            var rmap = Folder(key, "rmap");
            if (update.Unmapped.Count > 0)
            {
                _ = tx.HashDeleteAsync(map, [.. update.Unmapped.Keys.Select(Value)]);
                _ = tx.HashDeleteAsync(rmap, [.. update.Unmapped.Values.Select(Value)]);
            }

            if (update.Mapped.Count > 0)
            {
                _ = tx.HashSetAsync(map, [.. update.Mapped.Select(p => new HashEntry(Value(p.Key), Value(p.Value)))]);
                _ = tx.HashSetAsync(rmap, [.. update.Mapped.Select(p => new HashEntry(Value(p.Value), Value(p.Key)))]);
            }

            var foreign = Folder(key, "foreign");
            var gone = update.Foreign.Where(f => f.Value.Count == 0).Select(f => (RedisValue)f.Key).ToArray();
            var kept = update.Foreign.Where(f => f.Value.Count > 0).Select(f => new HashEntry(f.Key, string.Join(' ', f.Value))).ToArray();
            if (gone.Length > 0)
            {
                _ = tx.HashDeleteAsync(foreign, gone);
            }

            if (kept.Length > 0)
            {
                _ = tx.HashSetAsync(foreign, kept);
            }

            var failed = Folder(key, "failed");
            if (update.Recovered.Count > 0)
            {
                _ = tx.HashDeleteAsync(failed, [.. update.Recovered.Select(Value)]);
            }

            if (update.Failed.Count > 0)
            {
                _ = tx.HashSetAsync(failed, [.. update.Failed.Select(f => new HashEntry(Value(f.Key), f.Value))]);
            }

            if (update.State is { } state)
            {
                _ = tx.SetAddAsync(User(key) + "folders", key.Folder);
                _ = tx.HashSetAsync(Folder(key, "state"), StateEntries(state));
            }

            return await tx.ExecuteAsync().ConfigureAwait(false);
        });
    }

    private Task<Dictionary<uint, uint>> LookupAsync(string hash, IReadOnlyList<uint> uids) =>
        store.RunAsync(async db =>
        {
            var result = new Dictionary<uint, uint>();
            if (uids.Count == 0)
            {
                return result;
            }

            var values = await db.HashGetAsync(hash, [.. uids.Select(Value)]).ConfigureAwait(false);
            for (var i = 0; i < uids.Count; i++)
            {
                if (values[i].HasValue)
                {
                    result[uids[i]] = Uid(values[i]);
                }
            }

            return result;
        });

    private static HashEntry[] StateEntries(FolderCheckpoint c) =>
    [
        new("sv", c.SrcValidity), new("dv", c.DstValidity), new("df", c.DstFolder), new("last", c.LastUid),
        new("ms", c.ModSeq.ToString(CultureInfo.InvariantCulture)), new("dms", c.DstModSeq.ToString(CultureInfo.InvariantCulture)), new("seen", c.DstSeen),
    ];

    private static RedisValue Value(uint uid) => uid;

    private static uint Uid(RedisValue value) => uint.Parse(value.ToString(), CultureInfo.InvariantCulture);
}
