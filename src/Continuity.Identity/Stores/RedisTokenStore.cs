namespace Continuity.Identity.Stores;

/// <summary>
/// OpenIddict token store on the Redis protocol (key layout in <see cref="OidcKeys"/>). An update
/// is conditional on the version read, so <c>TryRedeemAsync</c> succeeds on exactly one node.
/// </summary>
internal sealed partial class RedisTokenStore(VersionedEntries entries, OidcKeys keys, IOptions<IdentityOptions> options, TimeProvider time)
    : VersionedStore<IdentityToken>(entries, IdentityStoreJsonContext.Default.IdentityToken, "tokens by id, reference, subject, application and authorization"),
    IOpenIddictTokenStore<IdentityToken>
{
    private TimeSpan IndexTtl => options.Value.Lifetimes.RefreshToken + OidcKeys.Retention;

    public async ValueTask CreateAsync(IdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        token.Id ??= NewId();
        token.Version = 1;
        var created = await Entries.CreateAsync(keys.Token(token.Id), token.Id, Serialize(token), TtlOf(token), IndexesOf(token), IndexTtl, cancellationToken);
        if (!created)
        {
            throw new OpenIddictExceptions.ConcurrencyException("A token with this id already exists.");
        }

        await AfterWriteAsync(token);
    }

    public override async ValueTask UpdateAsync(IdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var version = await Entries.UpdateAsync(keys.Token(token.Id!), token.Id!, token.Version, Serialize(token), TtlOf(token), IndexesOf(token), IndexTtl, cancellationToken)
            ?? throw new OpenIddictExceptions.ConcurrencyException("The token was changed by another request (or node) since it was read.");
        token.Version = version;
        await AfterWriteAsync(token);
    }

    public async ValueTask<IdentityToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        await Entries.GetStringAsync(keys.TokenReference(identifier), cancellationToken) is { Length: > 0 } id ? await FindByIdAsync(id, cancellationToken) : null;

    public IAsyncEnumerable<IdentityToken> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        FromIndexAsync(keys.TokensByApplication(identifier), static _ => true, cancellationToken);

    public IAsyncEnumerable<IdentityToken> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        FromIndexAsync(keys.TokensByAuthorization(identifier), static _ => true, cancellationToken);

    public IAsyncEnumerable<IdentityToken> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        FromIndexAsync(keys.TokensBySubject(subject), static _ => true, cancellationToken);

    public IAsyncEnumerable<IdentityToken> FindAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken)
    {
        bool Matches(IdentityToken t) =>
            (subject is null || t.Subject == subject) && (client is null || t.ApplicationId == client) &&
            (status is null || t.Status == status) && (type is null || t.Type == type);

        var index = subject is not null ? keys.TokensBySubject(subject)
            : client is not null ? keys.TokensByApplication(client)
            : throw new NotSupportedException("Token lookups need a subject or a client: the state store has no full scan.");
        return FromIndexAsync(index, Matches, cancellationToken);
    }

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindAsync(subject, client, status, type, cancellationToken), cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindByApplicationIdAsync(identifier, cancellationToken), cancellationToken);

    public ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindByAuthorizationIdAsync(identifier, cancellationToken), cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        RevokeAllAsync(FindBySubjectAsync(subject, cancellationToken), cancellationToken);

    /// <summary>The reference and the authorization's TTL follow the entry's write: they run to the end, whatever the caller's token.</summary>
    private async Task AfterWriteAsync(IdentityToken token)
    {
        if (token.ReferenceId is { Length: > 0 } reference)
        {
            await Entries.SetStringAsync(keys.TokenReference(reference), token.Id!, TtlOf(token), CancellationToken.None);
        }

        if (token.AuthorizationId is { Length: > 0 } authorization)
        {
            await Entries.ExtendAsync(keys.Authorization(authorization), TtlOf(token), CancellationToken.None);
        }
    }

    protected override string KeyOf(string id) => keys.Token(id);

    protected override List<string> IndexesOf(IdentityToken token)
    {
        var indexes = new List<string>(3);
        if (token.Subject is { Length: > 0 } subject)
        {
            indexes.Add(keys.TokensBySubject(subject));
        }

        if (token.ApplicationId is { Length: > 0 } application)
        {
            indexes.Add(keys.TokensByApplication(application));
        }

        if (token.AuthorizationId is { Length: > 0 } authorization)
        {
            indexes.Add(keys.TokensByAuthorization(authorization));
        }

        return indexes;
    }

    private TimeSpan TtlOf(IdentityToken token)
    {
        var left = token.ExpirationDate is { } expires ? expires - time.GetUtcNow() : options.Value.Lifetimes.RefreshToken;
        return (left < TimeSpan.Zero ? TimeSpan.Zero : left) + OidcKeys.Retention;
    }
}
