using Continuity.Core.Configuration;

namespace Continuity.Testing.Identity;

/// <summary>
/// The configuration the identity test worlds (<see cref="IdentityWorld"/>, the federation tests' world) give a gateway
/// node: its data directory, the shared redis-server under the world's key prefix, tenant <c>demo</c> (demo.test;
/// alice, bob, carol and mallory; providers <c>primary</c> and <c>sovereign</c>), the issuer with its keys, and the
/// relying party's client <c>webapp</c>. Each world adds its upstreams and other clients.
/// </summary>
public static class DemoNodeSettings
{
    public static Dictionary<string, string?> Create(
        string dataDir, string redis, string keyPrefix, AutomaticFailover policy, Uri issuer, (string Signing, string Encryption, string NextSigning) keys, int rpPort)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return new Dictionary<string, string?>
        {
            ["Continuity:DataDir"] = dataDir,
            ["Continuity:State:Redis"] = redis,
            ["Continuity:State:KeyPrefix"] = keyPrefix,
            ["Continuity:State:RouteRecheckInterval"] = "00:00:00.200",
            ["Continuity:Tenants:demo:DisplayName"] = "Demo Court",
            ["Continuity:Tenants:demo:Domains:0"] = "demo.test",
            ["Continuity:Tenants:demo:Hosts:Login"] = "127.0.0.1",
            ["Continuity:Tenants:demo:DefaultProvider"] = "primary",
            ["Continuity:Tenants:demo:SovereignProvider"] = "sovereign",
            ["Continuity:Tenants:demo:Failover:Automatic"] = policy.ToString(),
            ["Continuity:Tenants:demo:Users:0"] = "alice@demo.test",
            ["Continuity:Tenants:demo:Users:1"] = "bob@demo.test",
            ["Continuity:Tenants:demo:Users:2"] = "carol@demo.test",
            ["Continuity:Tenants:demo:Users:3"] = "mallory@demo.test",
            ["Continuity:Identity:AllowInsecureHttp"] = "true",
            ["Continuity:Identity:Tenants:demo:Issuer"] = issuer.AbsoluteUri,
            ["Continuity:Identity:Keys:Signing:0:Path"] = keys.Signing,
            ["Continuity:Identity:Keys:Signing:1:Path"] = keys.NextSigning,
            ["Continuity:Identity:Keys:Encryption:0:Path"] = keys.Encryption,
            ["Continuity:Identity:Clients:webapp:SecretHash"] = GatewayConfig.Hash(RelyingParty.ClientSecret),
            ["Continuity:Identity:Clients:webapp:RedirectUris:0"] = $"http://127.0.0.1:{rpPort}/signin-oidc",
            ["Continuity:Identity:Clients:webapp:PostLogoutRedirectUris:0"] = $"http://127.0.0.1:{rpPort}/signout-callback-oidc",
            ["Continuity:Identity:Clients:webapp:Scopes:0"] = "openid",
            ["Continuity:Identity:Clients:webapp:Scopes:1"] = "email",
            ["Continuity:Identity:Clients:webapp:Scopes:2"] = "profile",
            ["Continuity:Identity:Clients:webapp:Scopes:3"] = "offline_access",
        };
    }

    /// <summary>Adds <paramref name="extra"/> to <paramref name="settings"/>, replacing what they name; returns <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IReadOnlyDictionary<string, string?>? extra)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
