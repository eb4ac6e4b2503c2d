namespace Continuity.Core.Failover;

/// <summary>Who acts: an admin of one tenant (from an API key or an admin login), or a part of the gateway.</summary>
public sealed record AdminActor(string Name, string Tenant, AdminRole Role)
{
    public bool CanChange(string tenant) =>
        Role == AdminRole.Operator && string.Equals(Tenant, tenant, StringComparison.OrdinalIgnoreCase);

    public bool CanRead(string tenant) => string.Equals(Tenant, tenant, StringComparison.OrdinalIgnoreCase);
}
