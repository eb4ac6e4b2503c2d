namespace Continuity.Identity.Stores;

/// <summary>The authorization's own property getter and setter OpenIddict calls (the shared ones are in <see cref="VersionedStore{TEntry}"/>).</summary>
internal sealed partial class RedisAuthorizationStore
{
    public ValueTask<ImmutableArray<string>> GetScopesAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new([.. authorization.Scopes]);

    public ValueTask SetScopesAsync(IdentityAuthorization authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken) =>
        Set(() => authorization.Scopes = [.. scopes]);
}
