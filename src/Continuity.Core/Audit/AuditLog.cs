using Microsoft.Extensions.Logging.Abstractions;

namespace Continuity.Core.Audit;

/// <summary>
/// The audit chains in the state store: one per tenant (records of tenant <c>*</c>, gateway-wide, have their own).
/// <code>
/// {continuity}:audit:{tenant}:log    LIST    AuditRecord JSON, oldest first (RPUSH only). No TTL.
/// {continuity}:audit:{tenant}:head   STRING  keyed hash of the newest record; absent before the first. No TTL.
/// </code>
/// Appends are optimistic: the record is sealed (HMAC under <see cref="AuditKey"/>) against the head read just
/// before, and the script refuses it if the head moved meanwhile (another node appended); then it is resealed.
/// Every record appended is also one log line (actor, action, reason): an admin action shows in the node's log as it happens.
/// </summary>
public sealed partial class AuditLog(StateStore store, AuditKey key, TimeProvider time, ILogger<AuditLog>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<AuditLog>.Instance;

    // KEYS: log, head. Returns { LLEN, head }.
    internal const string ReadHeadScript = """
        return { redis.call('LLEN', KEYS[1]), redis.call('GET', KEYS[2]) or '' }
        """;

    // KEYS: log, head. ARGV: expected head, record JSON, record hash. Returns 1, or 0 when the head moved.
    private const string AppendScript = """
        local head = redis.call('GET', KEYS[2]) or ''
        if head ~= ARGV[1] then return 0 end
        redis.call('RPUSH', KEYS[1], ARGV[2])
        redis.call('SET', KEYS[2], ARGV[3])
        return 1
        """;

    private const int MaxAttempts = 200;

    /// <summary>
    /// Appends <paramref name="entry"/>. <paramref name="cancellationToken"/> is checked before each attempt; a caller
    /// whose change is already made passes none, so the change is never left without its record.
    /// </summary>
    public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return store.RunAsync(async db =>
        {
            var keys = Keys(entry.Tenant);
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var (count, head) = await ReadHeadAsync(db, keys).ConfigureAwait(false);
                var record = AuditChain.Seal(entry, count, head, time.GetUtcNow(), key);
                var ok = (long)await db.ScriptEvaluateAsync(AppendScript, keys, [head, AuditChain.Serialize(record), record.Hash]).ConfigureAwait(false);
                if (ok == 1)
                {
                    Log.Appended(_logger, record.Tenant, record.Seq, record.Action, record.Actor, record.User ?? "-",
                        record.Before is null && record.After is null ? "" : $" {record.Before ?? "-"} → {record.After ?? "-"}",
                        ForLog(record.Reason), ForLog(record.Details));
                    return record;
                }

                await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidOperationException("The audit log kept moving under concurrent appends; try again.");
        }, cancellationToken);
    }

    /// <summary>Records of <paramref name="tenant"/> with sequence numbers in [<paramref name="fromSeq"/>, fromSeq + count), oldest first.</summary>
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(string tenant, long fromSeq, int count, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IReadOnlyList<AuditRecord>>(async db =>
        {
            var start = Math.Max(0, fromSeq - 1);
            var raw = await db.ListRangeAsync(store.Keys.AuditLog(tenant), start, start + Math.Max(1, count) - 1).ConfigureAwait(false);
            return raw.Select(r => AuditChain.TryParse(r.ToString())).OfType<AuditRecord>().ToList();
        }, cancellationToken);

    /// <summary>The newest <paramref name="count"/> records of <paramref name="tenant"/>, oldest first.</summary>
    public Task<IReadOnlyList<AuditRecord>> TailAsync(string tenant, int count, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IReadOnlyList<AuditRecord>>(async db =>
        {
            var raw = await db.ListRangeAsync(store.Keys.AuditLog(tenant), -Math.Max(1, count), -1).ConfigureAwait(false);
            return raw.Select(r => AuditChain.TryParse(r.ToString())).OfType<AuditRecord>().ToList();
        }, cancellationToken);

    /// <summary>Reads a tenant's whole chain and checks it (<c>continuity audit verify --tenant T</c>).</summary>
    public Task<AuditVerification> VerifyAsync(string tenant, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var batch = db.CreateTransaction();
            var rawTask = batch.ListRangeAsync(store.Keys.AuditLog(tenant));
            var headTask = batch.StringGetAsync(store.Keys.AuditHead(tenant));
            await batch.ExecuteAsync().ConfigureAwait(false);
            var raw = (await rawTask.ConfigureAwait(false)).Select(r => r.ToString()).ToList();
            return AuditChain.Verify(raw, (await headTask.ConfigureAwait(false)).ToString() ?? "", key) with { Tenant = tenant };
        }, cancellationToken);

    /// <summary>A tenant chain's length and head hash, read atomically (<c>continuity audit head --tenant T</c>).</summary>
    public Task<AuditChainHead> HeadAsync(string tenant, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var (count, head) = await ReadHeadAsync(db, Keys(tenant)).ConfigureAwait(false);
            return new AuditChainHead(tenant, count, head);
        }, cancellationToken);

    internal RedisKey[] Keys(string tenant) => [store.Keys.AuditLog(tenant), store.Keys.AuditHead(tenant)];

    internal static async Task<(long Count, string Head)> ReadHeadAsync(IDatabase db, RedisKey[] logAndHead)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(ReadHeadScript, logAndHead).ConfigureAwait(false))!;
        return ((long)result[0], result[1].ToString() ?? "");
    }

    /// <summary>Free text (a reason, details) as one log line: control characters (a newline that would fake a second line) become spaces.</summary>
    internal static string ForLog(string? text) =>
        string.IsNullOrEmpty(text) ? "-" : string.Create(text.Length, text, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? ' ' : t[i];
            }
        });
}
