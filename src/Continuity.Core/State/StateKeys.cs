namespace Continuity.Core.State;

/// <summary>
/// Every key and channel the gateway uses, behind one prefix (default <c>{continuity}:</c>).
/// The layout of each is documented in the store that owns it.
/// </summary>
public sealed class StateKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    // RouteStore
    public string RouteVersion => Prefix + "routes:version";
    public string TenantRoutes(string tenant) => Prefix + "routes:tenant:" + tenant;
    public string RouteChannel => Prefix + "routes:changed";

    // AuditLog
    public string AuditLog(string tenant) => Prefix + "audit:" + tenant.ToLowerInvariant() + ":log";
    public string AuditHead(string tenant) => Prefix + "audit:" + tenant.ToLowerInvariant() + ":head";

    // ApprovalStore
    public string Approval(string id) => Prefix + "approvals:" + id;
    public string PendingApprovals => Prefix + "approvals:pending";

    // TenantCutoffCounter
    public string CutoffUsers(string tenant, string provider) => Prefix + "signals:users:" + tenant + ":" + provider;
    public string TenantCutoffRaised(string tenant, string provider) => Prefix + "signals:tenant:" + tenant + ":" + provider;

    // UserDirectory
    public string Users(string tenant) => Prefix + "users:" + tenant;
}
