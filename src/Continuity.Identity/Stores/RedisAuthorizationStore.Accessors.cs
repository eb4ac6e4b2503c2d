using System.Collections.Immutable;
using System.Text.Json;

namespace Continuity.Identity.Stores;

/// <summary>The property getters and setters OpenIddict calls, and the LINQ entry points a key-value store cannot serve.</summary>
internal sealed partial class RedisAuthorizationStore
{
    public ValueTask<string?> GetApplicationIdAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.ApplicationId);
    public ValueTask<DateTimeOffset?> GetCreationDateAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.CreationDate);
    public ValueTask<string?> GetIdAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Id);
    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(StoreJson.ReadProperties(authorization.Properties));
    public ValueTask<ImmutableArray<string>> GetScopesAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new([.. authorization.Scopes]);
    public ValueTask<string?> GetStatusAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Status);
    public ValueTask<string?> GetSubjectAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Subject);
    public ValueTask<string?> GetTypeAsync(IdentityAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Type);

    public ValueTask SetApplicationIdAsync(IdentityAuthorization authorization, string? identifier, CancellationToken cancellationToken) => Set(() => authorization.ApplicationId = identifier);
    public ValueTask SetCreationDateAsync(IdentityAuthorization authorization, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => authorization.CreationDate = date);
    public ValueTask SetPropertiesAsync(IdentityAuthorization authorization, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => Set(() => authorization.Properties = StoreJson.WriteProperties(properties));
    public ValueTask SetScopesAsync(IdentityAuthorization authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken) => Set(() => authorization.Scopes = [.. scopes]);
    public ValueTask SetStatusAsync(IdentityAuthorization authorization, string? status, CancellationToken cancellationToken) => Set(() => authorization.Status = status);
    public ValueTask SetSubjectAsync(IdentityAuthorization authorization, string? subject, CancellationToken cancellationToken) => Set(() => authorization.Subject = subject);
    public ValueTask SetTypeAsync(IdentityAuthorization authorization, string? type, CancellationToken cancellationToken) => Set(() => authorization.Type = type);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => throw NoScan();
    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<IdentityAuthorization>, IQueryable<TResult>> query, CancellationToken cancellationToken) => throw NoScan();
    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<IdentityAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();
    public IAsyncEnumerable<IdentityAuthorization> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => throw NoScan();
    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<IdentityAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();

    private static ValueTask Set(Action assign)
    {
        assign();
        return default;
    }

    private static NotSupportedException NoScan() => new("The state store serves authorizations by id, subject and application only.");
}
