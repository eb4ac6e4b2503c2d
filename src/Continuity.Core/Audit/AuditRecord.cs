namespace Continuity.Core.Audit;

/// <summary>
/// One entry of the append-only audit chain. <see cref="Hash"/> is SHA-256 over the record's
/// canonical JSON with <see cref="Hash"/> empty; <see cref="Prev"/> is the previous record's hash,
/// so changing, removing or reordering any record breaks the chain from there on.
/// </summary>
/// <param name="Seq">1 for the first record, then +1 each.</param>
/// <param name="At">When it happened (UTC, the gateway's clock).</param>
/// <param name="Actor">Who: an admin (<c>ops@demo.test</c>) or a part (<c>signal:mx</c>).</param>
/// <param name="Action">What: <c>route.changed</c>, <c>approval.requested</c>, <c>approval.approved</c>, …</param>
/// <param name="Tenant">Tenant id.</param>
/// <param name="User">User address, or null for tenant-wide.</param>
/// <param name="Before">Provider before (route changes).</param>
/// <param name="After">Provider after (route changes).</param>
/// <param name="Reason">Why, as the actor wrote it.</param>
/// <param name="Details">Anything else worth keeping: request id, approvers, evidence, version.</param>
/// <param name="Prev">Hash of the previous record ("" for the first).</param>
/// <param name="Hash">Hash of this record.</param>
public sealed record AuditRecord(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Tenant,
    string? User,
    string? Before,
    string? After,
    string? Reason,
    string? Details,
    string Prev,
    string Hash);

/// <summary>An audit entry before it is placed in the chain (sequence and hashes are filled in on append).</summary>
public sealed record AuditEntry(
    string Actor,
    string Action,
    string Tenant,
    string? User = null,
    string? Before = null,
    string? After = null,
    string? Reason = null,
    string? Details = null);
