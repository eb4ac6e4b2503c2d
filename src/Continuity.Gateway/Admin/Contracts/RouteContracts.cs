using System.Text.Json.Serialization;

namespace Continuity.Gateway.Admin.Contracts;

/// <summary>One tenant of <c>GET /admin/api/tenants</c>: its providers, policy and current default route.</summary>
internal sealed record TenantView(
    string Id,
    string? DisplayName,
    List<string> Domains,
    string ConfiguredDefault,
    string? CurrentDefault,
    string Sovereign,
    TenantFailoverView Failover,
    List<ProviderView> Providers);

/// <summary>A tenant's failover policy (<c>automatic</c> is off, suggest or switch).</summary>
internal sealed record TenantFailoverView(string Automatic, int Approvals, TimeSpan ApprovalTimeout, bool ContinuityCopies);

/// <summary>A provider of a tenant: its identity authority, mail endpoints and app backends.</summary>
internal sealed record ProviderView(string Name, string? DisplayName, string? Identity, ProviderMailView? Mail, Dictionary<string, List<string>> Apps);

internal sealed record ProviderMailView(string? Inbound, string? Imap, string? Submission);

/// <summary><c>GET /admin/api/tenants/{tenant}/routes</c>: this node's snapshot of one tenant.</summary>
internal sealed record RoutesView(
    string Tenant,
    long Version,
    DateTimeOffset LoadedAt,
    [property: JsonPropertyName("default")] string Default,
    Dictionary<string, string> Users);

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/routes</c>: move a user (or the tenant, when <see cref="User"/> is null).</summary>
internal sealed record RouteChangeBody(string? User, string? To, string? Reason, long? ExpectedVersion);

/// <summary>
/// Answer to a route change: <c>applied</c> or <c>unchanged</c> (200, with version, before, after, auditSeq), or
/// <c>pending</c> (202, with the approval request). Fields of the other shape are left out.
/// </summary>
internal sealed record RouteChangeAnswer(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApprovalRequest? Request,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Before,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? After,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? AuditSeq,
    double? SovereignCopyLagSeconds);
