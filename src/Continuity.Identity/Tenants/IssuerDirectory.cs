using System.Collections.Frozen;

namespace Continuity.Identity.Tenants;

/// <summary>
/// Finds the tenant a request is for by its host name: the host of the tenant's issuer or its
/// <c>Hosts.Login</c>. The port is not compared, so nodes behind a load balancer (or on other ports
/// in tests) serve the same issuer.
/// </summary>
internal sealed class IssuerDirectory
{
    private readonly FrozenDictionary<string, TenantIssuer> _byHost;
    private readonly FrozenDictionary<string, TenantIssuer> _byTenant;

    public IssuerDirectory(IOptions<ContinuityOptions> continuity, IOptions<IdentityOptions> identity)
    {
        ArgumentNullException.ThrowIfNull(continuity);
        ArgumentNullException.ThrowIfNull(identity);
        var byHost = new Dictionary<string, TenantIssuer>(StringComparer.OrdinalIgnoreCase);
        var byTenant = new Dictionary<string, TenantIssuer>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, tenant) in continuity.Value.Tenants)
        {
            if (IssuerOf(tenant, identity.Value.Tenants.GetValueOrDefault(id)) is not { } issuer)
            {
                continue;
            }

            var entry = new TenantIssuer(id, issuer);
            byTenant[id] = entry;
            byHost.TryAdd(issuer.Host, entry);
            if (tenant.Hosts.Login is { } login)
            {
                byHost.TryAdd(login, entry);
            }
        }

        _byHost = byHost.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byTenant = byTenant.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<TenantIssuer> All => _byTenant.Values;

    public TenantIssuer? FindByHost(string host) => _byHost.GetValueOrDefault(host);

    public TenantIssuer? FindByTenant(string tenantId) => _byTenant.GetValueOrDefault(tenantId);

    /// <summary>The configured issuer, else <c>https://{Hosts.Login}/</c>, else null (the tenant has no login host).</summary>
    public static Uri? IssuerOf(TenantOptions tenant, IdentityTenantOptions? identity)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (identity?.Issuer is { } configured && Uri.TryCreate(configured, UriKind.Absolute, out var uri))
        {
            return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        return tenant.Hosts.Login is { } login ? new Uri($"https://{login}/") : null;
    }
}
