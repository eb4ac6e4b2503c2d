using System.Collections.Frozen;

namespace Continuity.Core.Tenants;

/// <summary>Finds a tenant by id or by the domain of an address (the configuration is the source).</summary>
public sealed class TenantDirectory
{
    private readonly FrozenDictionary<string, string> _tenantByDomain;

    public TenantDirectory(IOptions<ContinuityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _tenantByDomain = Options.Tenants
            .SelectMany(t => t.Value.Domains.Select(d => (Domain: d, Tenant: t.Key)))
            .ToFrozenDictionary(x => x.Domain, x => x.Tenant, StringComparer.OrdinalIgnoreCase);
    }

    public ContinuityOptions Options { get; }

    public IEnumerable<string> TenantIds => Options.Tenants.Keys;

    public TenantOptions? Find(string tenantId) =>
        Options.Tenants.TryGetValue(tenantId, out var tenant) ? tenant : null;

    /// <summary>The tenant id that owns the address's domain, or null.</summary>
    public string? FindByAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }

        return _tenantByDomain.TryGetValue(address[(at + 1)..], out var tenant) ? tenant : null;
    }
}
