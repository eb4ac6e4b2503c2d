using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Continuity.Identity.Stores;

/// <summary>API scopes come from configuration: this store reads them and refuses writes.</summary>
internal sealed class ConfigScopeStore : IOpenIddictScopeStore<IdentityScope>
{
    private readonly FrozenDictionary<string, IdentityScope> _scopes;

    public ConfigScopeStore(IOptions<IdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scopes = options.Value.Scopes.ToFrozenDictionary(
            s => s.Key, s => new IdentityScope { Name = s.Key, Resources = [.. s.Value] }, StringComparer.Ordinal);
    }

    public ValueTask<IdentityScope?> FindByIdAsync(string identifier, CancellationToken cancellationToken) => new(_scopes.GetValueOrDefault(identifier));
    public ValueTask<IdentityScope?> FindByNameAsync(string name, CancellationToken cancellationToken) => new(_scopes.GetValueOrDefault(name));
    public IAsyncEnumerable<IdentityScope> FindByNamesAsync(ImmutableArray<string> names, CancellationToken cancellationToken) => Where(s => names.Contains(s.Name), cancellationToken);
    public IAsyncEnumerable<IdentityScope> FindByResourceAsync(string resource, CancellationToken cancellationToken) => Where(s => s.Resources.Contains(resource), cancellationToken);
    public IAsyncEnumerable<IdentityScope> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => Where(_ => true, cancellationToken);
    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => new(_scopes.Count);

    public ValueTask<string?> GetDescriptionAsync(IdentityScope scope, CancellationToken cancellationToken) => new((string?)null);
    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDescriptionsAsync(IdentityScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<CultureInfo, string>.Empty);
    public ValueTask<string?> GetDisplayNameAsync(IdentityScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(IdentityScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<CultureInfo, string>.Empty);
    public ValueTask<string?> GetIdAsync(IdentityScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<string?> GetNameAsync(IdentityScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(IdentityScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<string, JsonElement>.Empty);
    public ValueTask<ImmutableArray<string>> GetResourcesAsync(IdentityScope scope, CancellationToken cancellationToken) => new(scope.Resources);

    public ValueTask<IdentityScope> InstantiateAsync(CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask CreateAsync(IdentityScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask UpdateAsync(IdentityScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask DeleteAsync(IdentityScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDescriptionAsync(IdentityScope scope, string? description, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDescriptionsAsync(IdentityScope scope, ImmutableDictionary<CultureInfo, string> descriptions, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNameAsync(IdentityScope scope, string? name, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNamesAsync(IdentityScope scope, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetNameAsync(IdentityScope scope, string? name, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetPropertiesAsync(IdentityScope scope, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetResourcesAsync(IdentityScope scope, ImmutableArray<string> resources, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<IdentityScope>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        new(query(_scopes.Values.AsQueryable()).LongCount());

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<IdentityScope>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(_scopes.Values.AsQueryable(), state).FirstOrDefault());

    public async IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<IdentityScope>, TState, IQueryable<TResult>> query, TState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var item in query(_scopes.Values.AsQueryable(), state))
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<IdentityScope> Where(Func<IdentityScope, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var scope in _scopes.Values.Where(filter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return scope;
        }
    }

    private static NotSupportedException ReadOnly() => new("Scopes come from configuration (Continuity:Identity:Scopes).");
}
