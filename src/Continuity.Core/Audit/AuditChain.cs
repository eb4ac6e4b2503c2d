using System.Text;
using System.Text.Json;

namespace Continuity.Core.Audit;

/// <summary>
/// Builds and checks an audit chain (one per tenant, plus <c>*</c> for gateway-wide records). Each link is
/// HMAC-SHA256 under the <see cref="AuditKey"/>, which lives outside the store: someone who can write the store
/// but not read the key cannot rewrite a chain (or a whole tenant's chain) that still verifies. Pure: no store, no clock.
/// </summary>
public static class AuditChain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>The next record after a chain of <paramref name="count"/> records whose newest hash is <paramref name="head"/>.</summary>
    public static AuditRecord Seal(AuditEntry entry, long count, string head, DateTimeOffset at, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var unsealed = new AuditRecord(
            count + 1, at.ToUniversalTime(), entry.Actor, entry.Action, entry.Tenant, entry.User,
            entry.Before, entry.After, entry.Reason, entry.Details, head, "");
        return unsealed with { Hash = ComputeHash(unsealed, key) };
    }

    public static string Serialize(AuditRecord record) => JsonSerializer.Serialize(record, Json);

    public static AuditRecord? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditRecord>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>HMAC-SHA256 (hex) under <paramref name="key"/> of the record's canonical JSON with an empty hash.</summary>
    public static string ComputeHash(AuditRecord record, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(key);
        var canonical = JsonSerializer.SerializeToUtf8Bytes(record with { Hash = "" }, Json);
        return Convert.ToHexString(HMACSHA256.HashData(key.Bytes, canonical)).ToLowerInvariant();
    }

    /// <summary>
    /// Checks a whole chain as stored (raw JSON, oldest first) against the stored head hash.
    /// Reports every problem, each naming the position and sequence number concerned.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<string> rawRecords, string head, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(rawRecords);
        var problems = new List<string>();
        var previousHash = "";
        for (var i = 0; i < rawRecords.Count; i++)
        {
            var position = (i + 1).ToString(CultureInfo.InvariantCulture);
            var record = TryParse(rawRecords[i]);
            if (record is null)
            {
                problems.Add($"position {position}: not a valid audit record");
                previousHash = "";
                continue;
            }

            var seq = record.Seq.ToString(CultureInfo.InvariantCulture);
            if (record.Seq != i + 1)
            {
                problems.Add($"position {position}: holds record #{seq} — a record was removed, inserted or moved before it");
            }

            if (!string.Equals(record.Prev, previousHash, StringComparison.Ordinal))
            {
                problems.Add($"record #{seq}: its link to the previous record is broken — the previous record was changed, removed or moved");
            }

            if (!string.Equals(ComputeHash(record, key), record.Hash, StringComparison.Ordinal))
            {
                problems.Add($"record #{seq}: its content does not match its hash — the record was changed (or sealed without the audit key)");
            }

            previousHash = record.Hash;
        }

        if (!string.Equals(previousHash, head, StringComparison.Ordinal))
        {
            problems.Add(rawRecords.Count == 0 && head.Length > 0
                ? "the log is empty but the chain head says records were written — records were removed"
                : "the newest record does not match the chain head — the newest records were removed or changed");
        }

        return new AuditVerification(rawRecords.Count, problems.Count == 0, problems);
    }

    /// <summary>Hash of an audit line, for callers that only need to compare.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}

/// <summary>Result of <see cref="AuditChain.Verify"/>.</summary>
public sealed record AuditVerification(int Records, bool Intact, IReadOnlyList<string> Problems)
{
    /// <summary>The tenant whose chain was checked.</summary>
    public string? Tenant { get; init; }
}

/// <summary>
/// A tenant chain's head (<c>continuity audit head</c>): kept somewhere the store's writers cannot reach (a
/// ticket, a mail to the auditor, a notary), it later proves that no record up to <see cref="Records"/> was removed.
/// </summary>
public sealed record AuditChainHead(string Tenant, long Records, string Head);
