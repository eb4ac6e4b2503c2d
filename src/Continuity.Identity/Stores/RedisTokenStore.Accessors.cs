namespace Continuity.Identity.Stores;

/// <summary>The token's own property getters and setters OpenIddict calls (the shared ones are in <see cref="VersionedStore{TEntry}"/>).</summary>
internal sealed partial class RedisTokenStore
{
    public ValueTask<string?> GetAuthorizationIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.AuthorizationId);

    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.ExpirationDate);

    public ValueTask<string?> GetPayloadAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Payload);

    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.RedemptionDate);

    public ValueTask<string?> GetReferenceIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.ReferenceId);

    public ValueTask SetAuthorizationIdAsync(IdentityToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.AuthorizationId = identifier);

    public ValueTask SetExpirationDateAsync(IdentityToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.ExpirationDate = date);

    public ValueTask SetPayloadAsync(IdentityToken token, string? payload, CancellationToken cancellationToken) => Set(() => token.Payload = payload);

    public ValueTask SetRedemptionDateAsync(IdentityToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.RedemptionDate = date);

    public ValueTask SetReferenceIdAsync(IdentityToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.ReferenceId = identifier);
}
