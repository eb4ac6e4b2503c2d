namespace Continuity.Identity.Stores;

/// <summary>
/// OpenIddict authorization store on the Redis protocol (key layout in <see cref="OidcKeys"/>).
/// An authorization lives as long as the longest token issued under it (each token extends its TTL).
/// </summary>
internal sealed partial class RedisAuthorizationStore(VersionedEntries entries, OidcKeys keys, IOptions<IdentityOptions> options)
    : VersionedStore<IdentityAuthorization>(entries, IdentityStoreJsonContext.Default.IdentityAuthorization, "authorizations by id, subject and application"),
    IOpenIddictAuthorizationStore<IdentityAuthorization>
{
    private TimeSpan IndexTtl => options.Value.Lifetimes.RefreshToken + OidcKeys.Retention;

    /// <summary>Until a token extends it: an authorization without tokens is gone after the code lifetime and the retention.</summary>
    private TimeSpan InitialTtl => options.Value.Lifetimes.AuthorizationCode + OidcKeys.Retention;

    public async ValueTask CreateAsync(IdentityAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        authorization.Id ??= NewId();
        authorization.Version = 1;
        if (!await Entries.CreateAsync(keys.Authorization(authorization.Id), authorization.Id, Serialize(authorization), InitialTtl, IndexesOf(authorization), IndexTtl, cancellationToken))
        {
            throw new OpenIddictExceptions.ConcurrencyException("An authorization with this id already exists.");
        }
    }

    public override async ValueTask UpdateAsync(IdentityAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var key = keys.Authorization(authorization.Id!);
        var version = await Entries.UpdateAsync(key, authorization.Id!, authorization.Version, Serialize(authorization), InitialTtl, IndexesOf(authorization), IndexTtl, cancellationToken)
            ?? throw new OpenIddictExceptions.ConcurrencyException("The authorization was changed by another request (or node) since it was read.");
        authorization.Version = version;
        // The update reset the TTL to the initial one: give back what its tokens need (after the first write: to the end).
        await Entries.ExtendAsync(key, IndexTtl, CancellationToken.None);
    }

    public IAsyncEnumerable<IdentityAuthorization> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        FromIndexAsync(keys.AuthorizationsByApplication(identifier), static _ => true, cancellationToken);

    public IAsyncEnumerable<IdentityAuthorization> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        FromIndexAsync(keys.AuthorizationsBySubject(subject), static _ => true, cancellationToken);

    public IAsyncEnumerable<IdentityAuthorization> FindAsync(
        string? subject, string? client, string? status, string? type, ImmutableArray<string>? scopes, CancellationToken cancellationToken)
    {
        bool Matches(IdentityAuthorization a) =>
            (subject is null || a.Subject == subject) && (client is null || a.ApplicationId == client) &&
            (status is null || a.Status == status) && (type is null || a.Type == type) &&
            (scopes is null || scopes.Value.All(a.Scopes.Contains));

        var index = subject is not null ? keys.AuthorizationsBySubject(subject)
            : client is not null ? keys.AuthorizationsByApplication(client)
            : throw new NotSupportedException("Authorization lookups need a subject or a client: the state store has no full scan.");
        return FromIndexAsync(index, Matches, cancellationToken);
    }

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindAsync(subject, client, status, type, null, cancellationToken), cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindByApplicationIdAsync(identifier, cancellationToken), cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindBySubjectAsync(subject, cancellationToken), cancellationToken);

    protected override string KeyOf(string id) => keys.Authorization(id);

    protected override List<string> IndexesOf(IdentityAuthorization authorization)
    {
        var indexes = new List<string>(2);
        if (authorization.Subject is { Length: > 0 } subject)
        {
            indexes.Add(keys.AuthorizationsBySubject(subject));
        }

        if (authorization.ApplicationId is { Length: > 0 } application)
        {
            indexes.Add(keys.AuthorizationsByApplication(application));
        }

        return indexes;
    }
}
