using System.Text.Json;
using System.Text.Json.Serialization;

namespace Continuity.Core.Approvals;

/// <summary>
/// Pending and decided failover requests.
/// <code>
/// {continuity}:approvals:{id}       STRING  ApprovalRequest JSON. TTL: 30 days after it expires (history for the admin page).
/// {continuity}:approvals:pending    ZSET    id → expiry (unix ms), only while pending.
/// {continuity}:approvals:{id}:payload  STRING  a large payload of a non-route request (an account import file).
///                                             TTL: the request's expiry plus a day; read when it is approved.
/// </code>
/// Updates are compare-and-set on the whole JSON, so two admins approving at once cannot both win.
/// </summary>
public sealed class ApprovalStore(StateStore store)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly TimeSpan History = TimeSpan.FromDays(30);

    // KEYS: request, pending. ARGV: expected JSON, new JSON, id, still pending ("1"/"0"), expiry ms, ttl ms.
    private const string CompareAndSetScript = """
        local current = redis.call('GET', KEYS[1]) or ''
        if current ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[6])
        if ARGV[4] == '1' then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3]) else redis.call('ZREM', KEYS[2], ARGV[3]) end
        return 1
        """;

    public Task CreateAsync(ApprovalRequest request, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SaveAsync(null, request, now, cancellationToken);

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/> unless someone else changed it first.</summary>
    public Task<bool> TryUpdateAsync(StoredApproval current, ApprovalRequest next, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        return SaveAsync(current.Json, next, now, cancellationToken);
    }

    /// <summary>Keeps a large payload for request <paramref name="id"/> until a day after <paramref name="expiresAt"/>.</summary>
    public Task SavePayloadAsync(string id, ReadOnlyMemory<byte> payload, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        store.RunAsync(db => db.StringSetAsync(store.Keys.Approval(id) + ":payload", payload, expiresAt - now + TimeSpan.FromDays(1)), cancellationToken);

    public Task<byte[]?> GetPayloadAsync(string id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db => (byte[]?)await db.StringGetAsync(store.Keys.Approval(id) + ":payload").ConfigureAwait(false), cancellationToken);

    public Task<StoredApproval?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var json = await db.StringGetAsync(store.Keys.Approval(id)).ConfigureAwait(false);
            return json.HasValue ? new StoredApproval(JsonSerializer.Deserialize<ApprovalRequest>(json.ToString(), Json)!, json.ToString()) : null;
        }, cancellationToken);

    /// <summary>Pending requests (dropping index entries whose request is gone); <paramref name="cancellationToken"/> is checked between reads.</summary>
    public Task<IReadOnlyList<StoredApproval>> ListPendingAsync(CancellationToken cancellationToken = default) =>
        store.RunAsync<IReadOnlyList<StoredApproval>>(async db =>
        {
            var ids = await db.SortedSetRangeByRankAsync(store.Keys.PendingApprovals).ConfigureAwait(false);
            var list = new List<StoredApproval>();
            foreach (var id in ids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await db.StringGetAsync(store.Keys.Approval(id.ToString())).ConfigureAwait(false);
                if (json.HasValue)
                {
                    list.Add(new StoredApproval(JsonSerializer.Deserialize<ApprovalRequest>(json.ToString(), Json)!, json.ToString()));
                }
                else
                {
                    await db.SortedSetRemoveAsync(store.Keys.PendingApprovals, id).ConfigureAwait(false);
                }
            }

            return list;
        }, cancellationToken);

    private Task<bool> SaveAsync(string? expectedJson, ApprovalRequest next, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RunAsync(async db =>
        {
            var json = JsonSerializer.Serialize(next, Json);
            var ttl = Math.Max(60_000, (long)(next.ExpiresAt - now + History).TotalMilliseconds);
            var ok = (long)await db.ScriptEvaluateAsync(
                CompareAndSetScript,
                [store.Keys.Approval(next.Id), store.Keys.PendingApprovals],
                [expectedJson ?? "", json, next.Id, next.Status == ApprovalStatus.Pending ? "1" : "0", next.ExpiresAt.ToUnixTimeMilliseconds(), ttl]).ConfigureAwait(false);
            return ok == 1;
        }, cancellationToken);
}

/// <summary>A request as read, with the exact JSON it was read as (the compare-and-set token).</summary>
public sealed record StoredApproval(ApprovalRequest Request, string Json);
