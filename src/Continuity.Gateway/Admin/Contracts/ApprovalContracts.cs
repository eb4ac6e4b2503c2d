namespace Continuity.Gateway.Admin.Contracts;

/// <summary><c>GET /admin/api/approvals/{id}</c>: the request, and how far the user's sovereign copy is behind.</summary>
internal sealed record ApprovalView(ApprovalRequest Request, double? SovereignCopyLagSeconds);

/// <summary>Body of <c>POST /admin/api/approvals/{id}/reject</c>.</summary>
internal sealed record RejectBody(string? Reason);
