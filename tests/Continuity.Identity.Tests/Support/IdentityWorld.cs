using System.Globalization;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Identity.Stores;
using Continuity.Testing;

namespace Continuity.Identity.Tests.Support;

/// <summary>
/// Everything one identity test needs, each part on its own 127.0.0.1 port: a real redis-server,
/// the "primary" and "sovereign" stand-in upstreams, gateway node A (and B on request, same
/// issuer, keys and key prefix), and a relying party. Tenant <c>demo</c>: alice, bob, carol, mallory.
/// </summary>
internal sealed class IdentityWorld : IAsyncDisposable
{
    public const string UpstreamSecret = "upstream-client-secret";
    public const string ServiceClientId = "service";
    public const string ServiceSecret = "service-secret-0123456789-0123456789-012345";
    public const string NativeClientId = "native";
    public const string NativeRedirect = "http://127.0.0.1/native-callback";

    private readonly TempDirectory _dir = new("identity");
    private readonly List<GatewayNode> _nodes = [];
    private readonly AutomaticFailover _policy;
    private readonly string _prefix = "{id" + Guid.NewGuid().ToString("N")[..10] + "}:";
    private (string Signing, string Encryption, string NextSigning) _keys;
    private int _rpPort;

    private readonly TimeProvider? _time;
    private readonly IReadOnlyDictionary<string, string?>? _extra;

    private IdentityWorld(AutomaticFailover policy, TimeProvider? time, IReadOnlyDictionary<string, string?>? extra)
    {
        _policy = policy;
        _time = time;
        _extra = extra;
    }

    public RedisServer Redis { get; } = new();
    public StandInUpstream Primary { get; private set; } = null!;
    public StandInUpstream Sovereign { get; private set; } = null!;
    public GatewayNode A => _nodes[0];
    public RelyingParty Rp { get; private set; } = null!;
    public Uri Issuer { get; private set; } = null!;

    /// <summary>The relying party's registered redirect URI (valid even when the relying party is not started).</summary>
    public string WebAppRedirect => $"http://127.0.0.1:{_rpPort}/signin-oidc";

    /// <param name="time">The gateway nodes' clock (the upstreams and the relying party keep the real one).</param>
    /// <param name="settings">Configuration entries added to (or replacing) the nodes' defaults.</param>
    public static async Task<IdentityWorld> StartAsync(
        AutomaticFailover policy = AutomaticFailover.Suggest, bool withRelyingParty = true, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var world = new IdentityWorld(policy, time, settings);
        await world.StartPartsAsync(withRelyingParty);
        return world;
    }

    private async Task StartPartsAsync(bool withRelyingParty)
    {
        _keys = TestKeys.WriteTo(_dir.Path);
        Primary = await StandInUpstream.StartAsync(new Dictionary<string, UpstreamUser>(StringComparer.OrdinalIgnoreCase)
        {
            ["alice@demo.test"] = new("p-alice-7f3a", "alice@demo.test", true, "Alice Arbiter"),
            ["bob@demo.test"] = new("p-bob-19c2", "bob@demo.test", true, "Bob Bench"),
            // Another subject of the same upstream claiming alice's address.
            ["mallory@demo.test"] = new("p-mallory-66d0", "alice@demo.test", true, "Mallory"),
        });
        Sovereign = await StandInUpstream.StartAsync(new Dictionary<string, UpstreamUser>(StringComparer.OrdinalIgnoreCase)
        {
            ["alice@demo.test"] = new("s-0001", "alice@demo.test", true, "Alice Arbiter"),
            ["bob@demo.test"] = new("s-0002", "bob@demo.test", true, "Bob Bench"),
            ["carol@demo.test"] = new("s-0003", "carol@demo.test", false, "Carol Clerk"),
        });

        var port = FreePort.Next();
        Issuer = new Uri($"http://127.0.0.1:{port}/");
        _rpPort = FreePort.Next();
        _nodes.Add(await GatewayNode.StartAsync(port, Settings("a"), _time));
        if (withRelyingParty)
        {
            Rp = await RelyingParty.StartAsync(_rpPort, Issuer);
        }
    }

    /// <summary>Starts node B: same store, prefix, keys and issuer, another port and data directory.</summary>
    public async Task<GatewayNode> StartNodeBAsync()
    {
        var node = await GatewayNode.StartAsync(FreePort.Next(), Settings("b"), _time);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Moves a user's route through the store (as the admin switch does) and waits until node A follows.</summary>
    public async Task RouteAsync(string user, string provider)
    {
        await A.Get<RouteStore>().ChangeAsync(new RouteChange("demo", user, provider, "ops@demo.test", "test"));
        await WaitForRouteAsync(user, provider);
    }

    public Task WaitForRouteAsync(string user, string provider) =>
        Eventually.TrueAsync(() => A.Get<RouteTable>().Resolve("demo", user) == provider, TimeSpan.FromSeconds(10), $"{user} routed to {provider} on node A");

    private Dictionary<string, string?> Settings(string node)
    {
        var data = _dir.Combine("node-" + node);
        Directory.CreateDirectory(data);
        var s = new Dictionary<string, string?>
        {
            ["Continuity:DataDir"] = data,
            ["Continuity:State:Redis"] = Redis.ConnectionString,
            ["Continuity:Development"] = "true", // test nodes: clear Data Protection keys in the test store
            ["Continuity:State:KeyPrefix"] = _prefix,
            ["Continuity:State:RouteRecheckInterval"] = "00:00:00.200",
            ["Continuity:Tenants:demo:DisplayName"] = "Demo Court",
            ["Continuity:Tenants:demo:Domains:0"] = "demo.test",
            ["Continuity:Tenants:demo:Hosts:Login"] = "127.0.0.1",
            ["Continuity:Tenants:demo:DefaultProvider"] = "primary",
            ["Continuity:Tenants:demo:SovereignProvider"] = "sovereign",
            ["Continuity:Tenants:demo:Failover:Automatic"] = _policy.ToString(),
            ["Continuity:Tenants:demo:Users:0"] = "alice@demo.test",
            ["Continuity:Tenants:demo:Users:1"] = "bob@demo.test",
            ["Continuity:Tenants:demo:Users:2"] = "carol@demo.test",
            ["Continuity:Tenants:demo:Users:3"] = "mallory@demo.test",
            ["Continuity:Identity:AllowInsecureHttp"] = "true",
            // The stand-in upstream runs in this test process on two busy cores: its first discovery answer may take
            // longer than the production bound (3 s). The outage behaviour itself is tested against oidc-provider.
            ["Continuity:Identity:UpstreamTimeout"] = "00:00:15",
            ["Continuity:Identity:Tenants:demo:Issuer"] = Issuer.AbsoluteUri,
            ["Continuity:Identity:Keys:Signing:0:Path"] = _keys.Signing,
            ["Continuity:Identity:Keys:Signing:1:Path"] = _keys.NextSigning,
            ["Continuity:Identity:Keys:Encryption:0:Path"] = _keys.Encryption,
            ["Continuity:Identity:Scopes:api:0"] = "https://api.demo.test",
            ["Continuity:Identity:Clients:webapp:SecretHash"] = ApplicationManager.Hash(RelyingParty.ClientSecret),
            ["Continuity:Identity:Clients:webapp:RedirectUris:0"] = $"http://127.0.0.1:{_rpPort}/signin-oidc",
            ["Continuity:Identity:Clients:webapp:PostLogoutRedirectUris:0"] = $"http://127.0.0.1:{_rpPort}/signout-callback-oidc",
            ["Continuity:Identity:Clients:webapp:Scopes:0"] = "openid",
            ["Continuity:Identity:Clients:webapp:Scopes:1"] = "email",
            ["Continuity:Identity:Clients:webapp:Scopes:2"] = "profile",
            ["Continuity:Identity:Clients:webapp:Scopes:3"] = "offline_access",
            ["Continuity:Identity:Clients:native:RedirectUris:0"] = NativeRedirect,
            ["Continuity:Identity:Clients:native:Scopes:0"] = "openid",
            ["Continuity:Identity:Clients:native:Scopes:1"] = "email",
            ["Continuity:Identity:Clients:native:Scopes:2"] = "offline_access",
            ["Continuity:Identity:Clients:service:SecretHash"] = ApplicationManager.Hash(ServiceSecret),
            ["Continuity:Identity:Clients:service:GrantTypes:0"] = "client_credentials",
            ["Continuity:Identity:Clients:service:Scopes:0"] = "api",
            ["Continuity:Identity:Clients:service:Tenant"] = "demo",
        };
        foreach (var (name, upstream) in new[] { ("primary", Primary), ("sovereign", Sovereign) })
        {
            s[$"Continuity:Tenants:demo:Providers:{name}:DisplayName"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name) + " IdP";
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:Authority"] = upstream.Issuer.AbsoluteUri;
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:ClientId"] = "continuity";
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:ClientSecret"] = UpstreamSecret;
        }

        foreach (var (key, value) in _extra ?? new Dictionary<string, string?>())
        {
            s[key] = value;
        }

        return s;
    }

    public async ValueTask DisposeAsync()
    {
        if (Rp is not null)
        {
            await Rp.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Primary.DisposeAsync();
        await Sovereign.DisposeAsync();
        Redis.Dispose();
        _dir.Dispose();
    }
}
