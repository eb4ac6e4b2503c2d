namespace Continuity.Identity.Stores;

/// <summary>A relying party as configured (<c>Continuity:Identity:Clients</c>); read-only.</summary>
public sealed class IdentityApplication
{
    public required string ClientId { get; init; }
    public string? DisplayName { get; init; }
    public string? SecretHash { get; init; }
    public required string ClientType { get; init; }
    public ImmutableArray<string> Permissions { get; init; } = [];
    public ImmutableArray<string> Requirements { get; init; } = [];
    public ImmutableArray<string> RedirectUris { get; init; } = [];
    public ImmutableArray<string> PostLogoutRedirectUris { get; init; } = [];
    public string? Tenant { get; init; }
}
