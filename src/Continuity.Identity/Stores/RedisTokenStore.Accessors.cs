using System.Collections.Immutable;
using System.Text.Json;
using OpenIddict.Abstractions;

namespace Continuity.Identity.Stores;

/// <summary>The property getters and setters OpenIddict calls, and the LINQ entry points a key-value store cannot serve.</summary>
internal sealed partial class RedisTokenStore
{
    public ValueTask<string?> GetApplicationIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.ApplicationId);
    public ValueTask<string?> GetAuthorizationIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.AuthorizationId);
    public ValueTask<DateTimeOffset?> GetCreationDateAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.CreationDate);
    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.ExpirationDate);
    public ValueTask<string?> GetIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Id);
    public ValueTask<string?> GetPayloadAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Payload);
    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(IdentityToken token, CancellationToken cancellationToken) => new(StoreJson.ReadProperties(token.Properties));
    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.RedemptionDate);
    public ValueTask<string?> GetReferenceIdAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.ReferenceId);
    public ValueTask<string?> GetStatusAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Status);
    public ValueTask<string?> GetSubjectAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Subject);
    public ValueTask<string?> GetTypeAsync(IdentityToken token, CancellationToken cancellationToken) => new(token.Type);

    public ValueTask SetApplicationIdAsync(IdentityToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.ApplicationId = identifier);
    public ValueTask SetAuthorizationIdAsync(IdentityToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.AuthorizationId = identifier);
    public ValueTask SetCreationDateAsync(IdentityToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.CreationDate = date);
    public ValueTask SetExpirationDateAsync(IdentityToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.ExpirationDate = date);
    public ValueTask SetPayloadAsync(IdentityToken token, string? payload, CancellationToken cancellationToken) => Set(() => token.Payload = payload);
    public ValueTask SetPropertiesAsync(IdentityToken token, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => Set(() => token.Properties = StoreJson.WriteProperties(properties));
    public ValueTask SetRedemptionDateAsync(IdentityToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.RedemptionDate = date);
    public ValueTask SetReferenceIdAsync(IdentityToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.ReferenceId = identifier);
    public ValueTask SetStatusAsync(IdentityToken token, string? status, CancellationToken cancellationToken) => Set(() => token.Status = status);
    public ValueTask SetSubjectAsync(IdentityToken token, string? subject, CancellationToken cancellationToken) => Set(() => token.Subject = subject);
    public ValueTask SetTypeAsync(IdentityToken token, string? type, CancellationToken cancellationToken) => Set(() => token.Type = type);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => throw NoScan();
    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<IdentityToken>, IQueryable<TResult>> query, CancellationToken cancellationToken) => throw NoScan();
    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<IdentityToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();
    public IAsyncEnumerable<IdentityToken> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => throw NoScan();
    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<IdentityToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();

    private static ValueTask Set(Action assign)
    {
        assign();
        return default;
    }

    private static NotSupportedException NoScan() => new("The state store serves tokens by id, reference, subject, application and authorization only.");
}
