using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Continuity.Identity.Configuration;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Continuity.Identity.Stores;

/// <summary>
/// OpenIddict token store on the Redis protocol (key layout in <see cref="OidcKeys"/>). An update
/// is conditional on the version read, so <c>TryRedeemAsync</c> succeeds on exactly one node.
/// </summary>
internal sealed partial class RedisTokenStore(VersionedEntries entries, OidcKeys keys, IOptions<IdentityOptions> options, TimeProvider time)
    : IOpenIddictTokenStore<IdentityToken>
{
    private TimeSpan IndexTtl => options.Value.Lifetimes.RefreshToken + OidcKeys.Retention;

    public async ValueTask CreateAsync(IdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        token.Id ??= NewId();
        token.Version = 1;
        var created = await entries.CreateAsync(keys.Token(token.Id), token.Id, Serialize(token), TtlOf(token), IndexesOf(token), IndexTtl);
        if (!created)
        {
            throw new OpenIddictExceptions.ConcurrencyException("A token with this id already exists.");
        }

        await AfterWriteAsync(token);
    }

    public async ValueTask UpdateAsync(IdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var version = await entries.UpdateAsync(keys.Token(token.Id!), token.Id!, token.Version, Serialize(token), TtlOf(token), IndexesOf(token), IndexTtl)
            ?? throw new OpenIddictExceptions.ConcurrencyException("The token was changed by another request (or node) since it was read.");
        token.Version = version;
        await AfterWriteAsync(token);
    }

    public async ValueTask DeleteAsync(IdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await entries.DeleteAsync(keys.Token(token.Id!), token.Id!, IndexesOf(token));
    }

    public async ValueTask<IdentityToken?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        await entries.GetAsync(keys.Token(identifier)) is { } found ? Deserialize(found.Json, found.Version) : null;

    public async ValueTask<IdentityToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        await entries.GetStringAsync(keys.TokenReference(identifier)) is { Length: > 0 } id ? await FindByIdAsync(id, cancellationToken) : null;

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

    /// <summary>Entries expire by TTL: nothing to prune.</summary>
    public ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) => ValueTask.FromResult(0L);

    public ValueTask<IdentityToken> InstantiateAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new IdentityToken());

    private async IAsyncEnumerable<IdentityToken> FromIndexAsync(string index, Func<IdentityToken, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, json, version) in await entries.GetManyAsync(index, keys.Token))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = Deserialize(json, version);
            if (filter(token))
            {
                yield return token;
            }
        }
    }

    private async ValueTask<long> RevokeAllAsync(IAsyncEnumerable<IdentityToken> tokens, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var token in tokens.WithCancellation(cancellationToken))
        {
            for (var current = token; current is not null && current.Status != OpenIddictConstants.Statuses.Revoked;)
            {
                current.Status = OpenIddictConstants.Statuses.Revoked;
                try
                {
                    await UpdateAsync(current, cancellationToken);
                    count++;
                    break;
                }
                catch (OpenIddictExceptions.ConcurrencyException)
                {
                    current = await FindByIdAsync(token.Id!, cancellationToken);
                }
            }
        }

        return count;
    }

    private async Task AfterWriteAsync(IdentityToken token)
    {
        if (token.ReferenceId is { Length: > 0 } reference)
        {
            await entries.SetStringAsync(keys.TokenReference(reference), token.Id!, TtlOf(token));
        }

        if (token.AuthorizationId is { Length: > 0 } authorization)
        {
            await entries.ExtendAsync(keys.Authorization(authorization), TtlOf(token));
        }
    }

    private List<string> IndexesOf(IdentityToken token)
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

    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Serialize(IdentityToken token) => JsonSerializer.Serialize(token, IdentityStoreJsonContext.Default.IdentityToken);

    private static IdentityToken Deserialize(string json, long version)
    {
        var token = JsonSerializer.Deserialize(json, IdentityStoreJsonContext.Default.IdentityToken)!;
        token.Version = version;
        return token;
    }
}
