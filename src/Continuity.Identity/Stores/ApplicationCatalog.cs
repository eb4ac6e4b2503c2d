using System.Collections.Frozen;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Stores;

/// <summary>The configured relying parties, turned into OpenIddict permissions once at start.</summary>
internal sealed class ApplicationCatalog
{
    public ApplicationCatalog(IOptions<IdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ById = options.Value.Clients.ToFrozenDictionary(c => c.Key, c => Build(c.Key, c.Value), StringComparer.Ordinal);
    }

    public FrozenDictionary<string, IdentityApplication> ById { get; }

    internal static IdentityApplication Build(string clientId, ClientOptions client)
    {
        var permissions = new List<string>();
        var grants = client.EffectiveGrantTypes.ToHashSet(StringComparer.Ordinal);
        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            permissions.AddRange([Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.Endpoints.PushedAuthorization,
                Permissions.ResponseTypes.Code, Permissions.GrantTypes.AuthorizationCode]);
        }

        if (grants.Contains(GrantTypes.RefreshToken))
        {
            permissions.Add(Permissions.GrantTypes.RefreshToken);
        }

        if (grants.Contains(GrantTypes.ClientCredentials))
        {
            permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        permissions.AddRange([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection]);
        permissions.AddRange(client.EffectiveScopes.Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess)).Select(s => Permissions.Prefixes.Scope + s));

        return new IdentityApplication
        {
            ClientId = clientId,
            DisplayName = client.DisplayName,
            SecretHash = client.SecretHash,
            ClientType = client.SecretHash is null ? ClientTypes.Public : ClientTypes.Confidential,
            Permissions = [.. permissions.Distinct(StringComparer.Ordinal)],
            Requirements = grants.Contains(GrantTypes.AuthorizationCode) ? [Requirements.Features.ProofKeyForCodeExchange] : [],
            RedirectUris = [.. client.RedirectUris],
            PostLogoutRedirectUris = [.. client.PostLogoutRedirectUris],
            Tenant = client.Tenant,
        };
    }
}
