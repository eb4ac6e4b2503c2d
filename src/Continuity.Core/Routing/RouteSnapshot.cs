using System.Collections.Frozen;

namespace Continuity.Core.Routing;

/// <summary>
/// An immutable copy of every tenant's routes at one version. Nodes swap whole snapshots, so a
/// lookup never sees half a change and never touches the network.
/// </summary>
public sealed class RouteSnapshot
{
    public static readonly RouteSnapshot Empty = new(0, DateTimeOffset.MinValue, FrozenDictionary<string, TenantRoutes>.Empty);

    public RouteSnapshot(long version, DateTimeOffset loadedAt, IReadOnlyDictionary<string, TenantRoutes> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        Version = version;
        LoadedAt = loadedAt;
        Tenants = tenants.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The store's route version this snapshot was read at (0: nothing read yet).</summary>
    public long Version { get; }

    /// <summary>When this node read it from the store (or from its disk copy).</summary>
    public DateTimeOffset LoadedAt { get; }

    public FrozenDictionary<string, TenantRoutes> Tenants { get; }

    /// <summary>The provider that serves <paramref name="user"/> (or the tenant, when null); null for an unknown tenant.</summary>
    public string? Resolve(string tenant, string? user) =>
        Tenants.TryGetValue(tenant, out var routes) ? routes.Resolve(user) : null;
}

/// <summary>One tenant's routes: the default provider and the per-user overrides.</summary>
public sealed class TenantRoutes
{
    public TenantRoutes(string defaultProvider, IReadOnlyDictionary<string, string> userOverrides)
    {
        DefaultProvider = defaultProvider;
        UserOverrides = userOverrides.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public string DefaultProvider { get; }

    /// <summary>User address (any case) → provider.</summary>
    public FrozenDictionary<string, string> UserOverrides { get; }

    public string Resolve(string? user) =>
        user is not null && UserOverrides.TryGetValue(user, out var provider) ? provider : DefaultProvider;
}
