namespace Continuity.Identity.Stores;

/// <summary>A token entry (authorization code, refresh token, state token, …) as stored in the state store.</summary>
public sealed class IdentityToken : IVersionedEntry
{
    public string? Id { get; set; }
    public string? ApplicationId { get; set; }
    public string? AuthorizationId { get; set; }
    public DateTimeOffset? CreationDate { get; set; }
    public DateTimeOffset? ExpirationDate { get; set; }
    public string? Payload { get; set; }
    public string? Properties { get; set; }
    public DateTimeOffset? RedemptionDate { get; set; }
    public string? ReferenceId { get; set; }
    public string? Status { get; set; }
    public string? Subject { get; set; }
    public string? Type { get; set; }

    /// <summary>Optimistic concurrency: the version read; an update succeeds only if the store still has it.</summary>
    public long Version { get; set; }
}
