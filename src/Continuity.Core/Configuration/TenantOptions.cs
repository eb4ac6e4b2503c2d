namespace Continuity.Core.Configuration;

/// <summary>One organisation: its mail domains, host names, providers, failover policy and admins.</summary>
public sealed class TenantOptions
{
    public string? DisplayName { get; set; }

    /// <summary>Mail domains the tenant owns (e.g. <c>demo.test</c>). Every user address is in one of them.</summary>
    public List<string> Domains { get; set; } = [];

    public TenantHostsOptions Hosts { get; set; } = new();

    /// <summary>Provider that serves users without an override, until an admin moves the tenant.</summary>
    public string DefaultProvider { get; set; } = "";

    /// <summary>
    /// Provider a cut-off signal moves users to. Default: the first provider that is not
    /// <see cref="DefaultProvider"/>.
    /// </summary>
    public string? SovereignProvider { get; set; }

    public FailoverPolicyOptions Failover { get; set; } = new();

    /// <summary>Known user addresses seeded into the directory at start (more can be imported through the admin API).</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>Admins by their address.</summary>
    public Dictionary<string, AdminOptions> Admins { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Providers by name (<c>primary</c>, <c>sovereign</c>, …).</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider signals fail over to (see <see cref="SovereignProvider"/>).</summary>
    public string ResolveSovereignProvider() =>
        SovereignProvider
        ?? Providers.Keys.FirstOrDefault(p => !string.Equals(p, DefaultProvider, StringComparison.OrdinalIgnoreCase))
        ?? DefaultProvider;

    /// <summary>The provider name as written in configuration, or null when the tenant has none by that name.</summary>
    public string? FindProvider(string name) =>
        Providers.Keys.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));

    public bool OwnsAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var domain = address[(at + 1)..];
        return Domains.Exists(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
    }
}
