namespace Continuity.Identity.Stores;

/// <summary>What tokens and authorizations have in common: an id, a compare-and-set version and the fields OpenIddict reads on both.</summary>
public interface IVersionedEntry
{
    string? Id { get; set; }

    string? ApplicationId { get; set; }

    DateTimeOffset? CreationDate { get; set; }

    string? Properties { get; set; }

    string? Status { get; set; }

    string? Subject { get; set; }

    string? Type { get; set; }

    /// <summary>The version read from the store; an update succeeds only while the store still holds it.</summary>
    long Version { get; set; }
}
