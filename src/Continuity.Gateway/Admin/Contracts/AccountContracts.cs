using System.Text.Json.Serialization;

namespace Continuity.Gateway.Admin.Contracts;

/// <summary>
/// Answer to an account link import: imported (200: counts, conflicts, auditSeq) or, with two-person approval,
/// <c>pending</c> (202: status and the approval request). Fields of the other shape are left out.
/// </summary>
internal sealed record AccountImportAnswer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    string Tenant,
    int Rows,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApprovalRequest? Request,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AccountsCreated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LinksCreated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LinksExisting,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<ImportConflict>? Conflicts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? AuditSeq);

/// <summary>A row that was not imported because the link belongs to another account.</summary>
internal sealed record ImportConflict(int Line, string Email, string Provider, string Subject, string? Reason);

/// <summary><c>GET …/accounts/{email}</c>: the gateway account and its upstream links.</summary>
internal sealed record AccountView(string Id, string Tenant, string Email, string? Name, List<AccountLinkView> Links, DateTimeOffset? SessionsRevokedAt);

internal sealed record AccountLinkView(string Provider, string Issuer, string Subject);

/// <summary>Body of <c>POST …/accounts/{email}/revoke</c>.</summary>
internal sealed record RevokeBody(string? Reason);

/// <summary>What a revocation ended.</summary>
internal sealed record AccountRevokeAnswer(string Id, string Email, DateTimeOffset SessionsRevokedAt, long TokensRevoked, long AuthorizationsRevoked, long AuditSeq);

/// <summary>Body of <c>POST …/users/{user}/app-passwords</c>.</summary>
internal sealed record AppPasswordBody(string? Label);

/// <summary>A new app password, shown only in this answer; <c>pending</c> with its approval request under two-person approval.</summary>
internal sealed record AppPasswordCreated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApprovalRequest? Request,
    string Id,
    string Label,
    DateTimeOffset CreatedAt,
    string Password,
    string Note);
