using Continuity.Core.Credentials;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Configuration;

/// <summary>Checks <c>Continuity:Identity</c> against the tenants and reports every error at once, each with its path.</summary>
internal sealed class IdentityOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<IdentityOptions>(continuity, Check)
{
    private const string Root = IdentityOptions.SectionName;
    private static readonly string[] StandardScopes = [Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.OfflineAccess];
    private static readonly string[] KnownGrants = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials];

    public static ConfigurationErrorCollection Check(IdentityOptions options, ContinuityOptions continuity)
    {
        var errors = new ConfigurationErrorCollection();

        foreach (var (id, tenant) in options.Tenants)
        {
            var path = $"{Root}:Tenants:{id}";
            if (!continuity.Tenants.TryGetValue(id, out var core))
            {
                errors.Add(path, "is not a tenant under Continuity:Tenants");
                continue;
            }

            if (tenant.Issuer is { } issuer && (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
            {
                errors.Add($"{path}:Issuer", $"'{issuer}' must be an absolute https URL without query or fragment");
            }

            for (var i = 0; i < (tenant.TrustedProviders?.Count ?? 0); i++)
            {
                if (core.FindProvider(tenant.TrustedProviders![i]) is null)
                {
                    errors.Add($"{path}:TrustedProviders:{i}", $"'{tenant.TrustedProviders[i]}' is not one of the tenant's providers");
                }
            }
        }

        foreach (var (id, tenant) in continuity.Tenants)
        {
            if (tenant.Providers.Values.Any(p => p?.Identity is not null) && tenant.Hosts.Login is null && options.Tenants.GetValueOrDefault(id)?.Issuer is null)
            {
                errors.Add($"{ContinuityOptions.SectionName}:Tenants:{id}:Hosts:Login", "is required for a tenant with identity upstreams (or set " + $"{Root}:Tenants:{id}:Issuer)");
            }
        }

        CheckKeys($"{Root}:Keys:Signing", options.Keys.Signing, errors.Add);
        CheckKeys($"{Root}:Keys:Encryption", options.Keys.Encryption, errors.Add);
        if ((options.Keys.Signing.Count == 0 || options.Keys.Encryption.Count == 0) && !options.AllowInsecureHttp && !continuity.Development)
        {
            // A generated key lives in one node's data directory: another node would reject its tokens, and it is
            // only as safe as that directory. Production gives every node the same key files.
            errors.Add($"{Root}:Keys", "Signing and Encryption key files are required: generated development keys are used only with " +
                $"{Root}:AllowInsecureHttp or {ContinuityOptions.SectionName}:Development set to true");
        }
        foreach (var (id, client) in options.Clients)
        {
            CheckClient($"{Root}:Clients:{id}", client, options, continuity, errors.Add);
        }

        CheckLifetimes(options.Lifetimes, errors.Add);
        if (options.UpstreamTimeout < TimeSpan.FromMilliseconds(100) || options.UpstreamTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{Root}:UpstreamTimeout", "must be between 00:00:00.1 and 00:00:30");
        }

        if (options.SessionRevocationCacheTtl < TimeSpan.Zero || options.SessionRevocationCacheTtl > TimeSpan.FromMinutes(5))
        {
            // Past a few minutes a lost pub/sub message would let a revoked session live on for too long.
            errors.Add($"{Root}:SessionRevocationCacheTtl", "must be between 0 (no cache) and 5 minutes");
        }

        CheckProbes(options.Probes, errors.Add);
        return errors;
    }

    private static void CheckKeys(string path, List<KeyFileOptions> keys, Action<string, string> error)
    {
        if (keys.Count > 2)
        {
            error(path, "list at most two keys: the active one and the next (or previous)");
        }

        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(keys[i].Path) || !File.Exists(keys[i].Path))
            {
                error($"{path}:{i}:Path", $"'{keys[i].Path}' does not exist");
            }
        }
    }

    private static void CheckClient(string path, ClientOptions? client, IdentityOptions options, ContinuityOptions continuity, Action<string, string> error)
    {
        if (client is null)
        {
            error(path, "is empty");
            return;
        }

        if (client.SecretHash is { } hash && !SecretHash.IsWellFormed(hash))
        {
            error($"{path}:SecretHash", "must be 'sha256:' and 64 lower-case hex digits of the secret");
        }

        for (var i = 0; i < client.GrantTypes.Count; i++)
        {
            if (!KnownGrants.Contains(client.GrantTypes[i]))
            {
                error($"{path}:GrantTypes:{i}", $"'{client.GrantTypes[i]}' is not one of {string.Join(", ", KnownGrants)}");
            }
        }

        if (client.EffectiveGrantTypes.Contains(GrantTypes.ClientCredentials) && client.SecretHash is null)
        {
            error($"{path}:SecretHash", "is required for client_credentials");
        }

        if (client.EffectiveGrantTypes.Contains(GrantTypes.AuthorizationCode) && client.RedirectUris.Count == 0)
        {
            error($"{path}:RedirectUris", "at least one is required for authorization_code");
        }

        CheckUris($"{path}:RedirectUris", client.RedirectUris, options.AllowInsecureHttp, error);
        CheckUris($"{path}:PostLogoutRedirectUris", client.PostLogoutRedirectUris, options.AllowInsecureHttp, error);
        for (var i = 0; i < client.Scopes.Count; i++)
        {
            if (!StandardScopes.Contains(client.Scopes[i]) && !options.Scopes.ContainsKey(client.Scopes[i]))
            {
                error($"{path}:Scopes:{i}", $"'{client.Scopes[i]}' is neither a standard scope nor under {Root}:Scopes");
            }
        }

        if (client.Tenant is { } tenant && !continuity.Tenants.ContainsKey(tenant))
        {
            error($"{path}:Tenant", $"'{tenant}' is not a tenant under Continuity:Tenants");
        }
    }

    /// <summary>
    /// A redirect URI receives codes and tokens: https, or http only to a loopback address with
    /// <see cref="IdentityOptions.AllowInsecureHttp"/> (development); never a fragment (RFC 6749 §3.1.2), never another
    /// scheme (<c>javascript:</c>, <c>data:</c>, <c>file:</c> would run or read on the gateway's own origin).
    /// </summary>
    private static void CheckUris(string path, List<string> uris, bool allowInsecureHttp, Action<string, string> error)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            // On Unix "/path" parses as an absolute file: URI; a redirect URI is never a file.
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out var uri) || uri.IsFile || uri.Fragment.Length > 0 || uris[i].Contains('#', StringComparison.Ordinal))
            {
                error($"{path}:{i}", $"'{uris[i]}' must be an absolute https URL without fragment");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                error($"{path}:{i}", $"'{uris[i]}' must be https (http only to a loopback address, with {Root}:AllowInsecureHttp)");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp)
            {
                error($"{path}:{i}", $"'{uris[i]}' is http: allowed to a loopback address only with {Root}:AllowInsecureHttp (development)");
            }
            else if (uri.Scheme is not ("https" or "http"))
            {
                error($"{path}:{i}", $"'{uris[i]}' must be an https URL, not {uri.Scheme}:");
            }
            else if (uri.UserInfo.Length > 0)
            {
                error($"{path}:{i}", $"'{uris[i]}' must not carry a user name or password");
            }
        }
    }

    private static void CheckLifetimes(TokenLifetimeOptions lifetimes, Action<string, string> error)
    {
        foreach (var (name, value) in new[]
        {
            ("AuthorizationCode", lifetimes.AuthorizationCode), ("AccessToken", lifetimes.AccessToken),
            ("IdentityToken", lifetimes.IdentityToken), ("RefreshToken", lifetimes.RefreshToken),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                error($"{Root}:Lifetimes:{name}", "must be positive");
            }
        }

        if (lifetimes.RefreshTokenReuseLeeway < TimeSpan.Zero)
        {
            error($"{Root}:Lifetimes:RefreshTokenReuseLeeway", "must not be negative");
        }
    }

    private static void CheckProbes(UpstreamProbeOptions probes, Action<string, string> error)
    {
        const string path = Root + ":Probes";
        if (probes.Interval < TimeSpan.FromSeconds(1) || probes.Interval > TimeSpan.FromHours(1))
        {
            error($"{path}:Interval", "must be between 1 s and 1 h");
        }

        if (probes.Timeout < TimeSpan.FromMilliseconds(100) || probes.Timeout > TimeSpan.FromMinutes(5))
        {
            error($"{path}:Timeout", "must be between 100 ms and 5 min");
        }
        else if (probes.Timeout > probes.Interval)
        {
            error($"{path}:Timeout", "must not be longer than Probes:Interval");
        }

        if (probes.DownAfter < TimeSpan.Zero || probes.DownAfter > TimeSpan.FromDays(1))
        {
            error($"{path}:DownAfter", "must be between 0 and 1 day");
        }
    }
}
