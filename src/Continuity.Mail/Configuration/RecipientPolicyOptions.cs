namespace Continuity.Mail.Configuration;

/// <summary>
/// Which recipients the MX accepts. Addresses outside every tenant's domains are always refused
/// (550 5.7.1): the MX is never an open relay, and nothing here can make it one.
/// </summary>
public sealed class RecipientPolicyOptions
{
    /// <summary>
    /// Policy for addresses in a tenant's domains that are not in the tenant's <c>Users</c>. Default
    /// <see cref="UnknownUserPolicy.Reject"/>. A tenant with an empty <c>Users</c> list has no directory, so
    /// every address in its domains is taken as known.
    /// </summary>
    public UnknownUserPolicy UnknownUsers { get; set; } = UnknownUserPolicy.Reject;

    /// <summary>Per-tenant overrides (tenant id → policy).</summary>
    public Dictionary<string, TenantRecipientPolicyOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One tenant's unknown-user policy.</summary>
public sealed class TenantRecipientPolicyOptions
{
    /// <summary>Overrides <see cref="RecipientPolicyOptions.UnknownUsers"/> for this tenant; null keeps the default.</summary>
    public UnknownUserPolicy? UnknownUsers { get; set; }

    /// <summary>Address that receives mail for unknown users under <see cref="UnknownUserPolicy.CatchAll"/>; in the tenant's domains.</summary>
    public string? CatchAllAddress { get; set; }
}
