namespace Continuity.Gateway.Admin;

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/routes</c>: move a user (or the tenant, when <see cref="User"/> is null).</summary>
internal sealed record RouteChangeBody(string? User, string? To, string? Reason, long? ExpectedVersion);

/// <summary>Body of <c>POST /admin/api/approvals/{id}/reject</c>.</summary>
internal sealed record RejectBody(string? Reason);

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/users</c>: addresses to add to the directory.</summary>
internal sealed record UserImportBody(List<string>? Addresses);

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/signals</c>: a monitor reporting a cut-off.</summary>
internal sealed record SignalBody(string? User, string? Provider, string? Source, string? Evidence);
