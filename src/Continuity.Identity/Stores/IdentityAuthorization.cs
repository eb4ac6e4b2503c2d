namespace Continuity.Identity.Stores;

/// <summary>An authorization (the grant a user gave a client) as stored in the state store.</summary>
public sealed class IdentityAuthorization : IVersionedEntry
{
    public string? Id { get; set; }
    public string? ApplicationId { get; set; }
    public DateTimeOffset? CreationDate { get; set; }
    public string? Properties { get; set; }
    public List<string> Scopes { get; set; } = [];
    public string? Status { get; set; }
    public string? Subject { get; set; }
    public string? Type { get; set; }

    /// <summary>Optimistic concurrency, as <see cref="IdentityToken.Version"/>.</summary>
    public long Version { get; set; }
}
