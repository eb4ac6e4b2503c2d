using System.Globalization;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;

namespace Continuity.Testing.Identity;

/// <summary>
/// Everything one identity test needs, each part on its own 127.0.0.1 port: a real redis-server,
/// the "primary" and "sovereign" stand-in upstreams, gateway node A (and B on request, same
/// issuer, keys and key prefix), and a relying party. Tenant <c>demo</c>: alice, bob, carol, mallory.
/// </summary>
public sealed class IdentityWorld : IAsyncDisposable
{
    public const string UpstreamSecret = "upstream-client-secret";
    public const string ServiceClientId = "service";
    public const string ServiceSecret = "service-secret-0123456789-0123456789-012345";
    public const string NativeClientId = "native";
    public const string NativeRedirect = "http://127.0.0.1/native-callback";

    private readonly TempDirectory _dir = new("identity");
    private readonly List<InProcessGateway> _nodes = [];
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
    public InProcessGateway A => _nodes[0];
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
        _nodes.Add(await StartNodeAsync(port, Settings("a")));
        if (withRelyingParty)
        {
            Rp = await RelyingParty.StartAsync(_rpPort, Issuer);
        }
    }

    /// <summary>Starts node B: same store, prefix, keys and issuer, another port and data directory.</summary>
    public async Task<InProcessGateway> StartNodeBAsync()
    {
        var node = await StartNodeAsync(FreePort.Next(), Settings("b"));
        _nodes.Add(node);
        return node;
    }

    /// <summary>A gateway node with Core and the identity part, on <paramref name="port"/> (its issuer may name another node's).</summary>
    public static Task<InProcessGateway> StartNodeAsync(int port, Dictionary<string, string?> settings, TimeProvider? time = null) =>
        InProcessGateway.StartPartsAsync(GatewayParts.Identity, settings, new() { Port = port, Time = time, ConsoleLogVariable = "IDENTITY_TEST_LOGS" });

    private Task<InProcessGateway> StartNodeAsync(int port, Dictionary<string, string?> settings) => StartNodeAsync(port, settings, _time);

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
        var s = DemoNodeSettings.Create(data, Redis.ConnectionString, _prefix, _policy, Issuer, _keys, _rpPort);
        s["Continuity:Development"] = "true"; // test nodes: clear Data Protection keys in the test store
        // The stand-in upstream runs in this test process on two busy cores: its first discovery answer may take
        // longer than the production bound (3 s). The outage behaviour itself is tested against oidc-provider.
        s["Continuity:Identity:UpstreamTimeout"] = "00:00:15";
        s["Continuity:Identity:Scopes:api:0"] = "https://api.demo.test";
        s["Continuity:Identity:Clients:native:RedirectUris:0"] = NativeRedirect;
        s["Continuity:Identity:Clients:native:Scopes:0"] = "openid";
        s["Continuity:Identity:Clients:native:Scopes:1"] = "email";
        s["Continuity:Identity:Clients:native:Scopes:2"] = "offline_access";
        s["Continuity:Identity:Clients:service:SecretHash"] = GatewayConfig.Hash(ServiceSecret);
        s["Continuity:Identity:Clients:service:GrantTypes:0"] = "client_credentials";
        s["Continuity:Identity:Clients:service:Scopes:0"] = "api";
        s["Continuity:Identity:Clients:service:Tenant"] = "demo";
        foreach (var (name, upstream) in new[] { ("primary", Primary), ("sovereign", Sovereign) })
        {
            s[$"Continuity:Tenants:demo:Providers:{name}:DisplayName"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name) + " IdP";
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:Authority"] = upstream.Issuer.AbsoluteUri;
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:ClientId"] = "continuity";
            s[$"Continuity:Tenants:demo:Providers:{name}:Identity:ClientSecret"] = UpstreamSecret;
        }

        return s.With(_extra);
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
