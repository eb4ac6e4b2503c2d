using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Stores;

/// <summary>Relying parties come from configuration: this store reads <see cref="ApplicationCatalog"/> and refuses writes.</summary>
internal sealed class ConfigApplicationStore(ApplicationCatalog catalog) : IOpenIddictApplicationStore<IdentityApplication>
{
    public ValueTask<IdentityApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken) => new(catalog.ById.GetValueOrDefault(identifier));
    public ValueTask<IdentityApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) => new(catalog.ById.GetValueOrDefault(identifier));

    public IAsyncEnumerable<IdentityApplication> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        Where(a => a.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal), cancellationToken);

    public IAsyncEnumerable<IdentityApplication> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        Where(a => a.RedirectUris.Contains(uri, StringComparer.Ordinal), cancellationToken);

    public IAsyncEnumerable<IdentityApplication> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        Where(_ => true, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => new(catalog.ById.Count);

    public ValueTask<string?> GetApplicationTypeAsync(IdentityApplication application, CancellationToken cancellationToken) => new(ApplicationTypes.Web);
    public ValueTask<string?> GetClientIdAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.ClientId);
    public ValueTask<string?> GetClientSecretAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.SecretHash);
    public ValueTask<string?> GetClientTypeAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.ClientType);
    public ValueTask<string?> GetConsentTypeAsync(IdentityApplication application, CancellationToken cancellationToken) => new(ConsentTypes.Implicit);
    public ValueTask<string?> GetDisplayNameAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.DisplayName);
    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(IdentityApplication application, CancellationToken cancellationToken) => new(ImmutableDictionary<CultureInfo, string>.Empty);
    public ValueTask<string?> GetIdAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.ClientId);
    public ValueTask<ImmutableArray<string>> GetPermissionsAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.Permissions);
    public ValueTask<ImmutableArray<string>> GetPostLogoutRedirectUrisAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.PostLogoutRedirectUris);
    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(IdentityApplication application, CancellationToken cancellationToken) => new(ImmutableDictionary<string, JsonElement>.Empty);
    public ValueTask<ImmutableArray<string>> GetRedirectUrisAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.RedirectUris);
    public ValueTask<ImmutableArray<string>> GetRequirementsAsync(IdentityApplication application, CancellationToken cancellationToken) => new(application.Requirements);
    public ValueTask<ImmutableDictionary<string, string>> GetSettingsAsync(IdentityApplication application, CancellationToken cancellationToken) => new(ImmutableDictionary<string, string>.Empty);

    public ValueTask<JsonWebKeySet?> GetJsonWebKeySetAsync(IdentityApplication application, CancellationToken cancellationToken) => new((JsonWebKeySet?)null);
    public ValueTask SetJsonWebKeySetAsync(IdentityApplication application, JsonWebKeySet? set, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask<IdentityApplication> InstantiateAsync(CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask CreateAsync(IdentityApplication application, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask UpdateAsync(IdentityApplication application, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask DeleteAsync(IdentityApplication application, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetApplicationTypeAsync(IdentityApplication application, string? type, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetClientIdAsync(IdentityApplication application, string? identifier, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetClientSecretAsync(IdentityApplication application, string? secret, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetClientTypeAsync(IdentityApplication application, string? type, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetConsentTypeAsync(IdentityApplication application, string? type, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNameAsync(IdentityApplication application, string? name, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNamesAsync(IdentityApplication application, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetPermissionsAsync(IdentityApplication application, ImmutableArray<string> permissions, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetPostLogoutRedirectUrisAsync(IdentityApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetPropertiesAsync(IdentityApplication application, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetRedirectUrisAsync(IdentityApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetRequirementsAsync(IdentityApplication application, ImmutableArray<string> requirements, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetSettingsAsync(IdentityApplication application, ImmutableDictionary<string, string> settings, CancellationToken cancellationToken) => throw ReadOnly();

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<IdentityApplication>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        new(query(catalog.ById.Values.AsQueryable()).LongCount());

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<IdentityApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(catalog.ById.Values.AsQueryable(), state).FirstOrDefault());

    public async IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<IdentityApplication>, TState, IQueryable<TResult>> query, TState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var item in query(catalog.ById.Values.AsQueryable(), state))
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<IdentityApplication> Where(Func<IdentityApplication, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var application in catalog.ById.Values.Where(filter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return application;
        }
    }

    private static NotSupportedException ReadOnly() => new("Relying parties come from configuration (Continuity:Identity:Clients).");
}
