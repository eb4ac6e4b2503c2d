using System.Globalization;
using System.Security.Cryptography;
using Continuity.Core.Approvals;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Core.Routing;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// The federation acceptance tests' world: a real redis-server, two upstreams that were not written
/// here (oidc-provider: "primary" shaped like Entra ID with profile <c>Entra</c>, "sovereign" shaped
/// like Keycloak with profile <c>Generic</c>), gateway node A in-process on its own port, and a real
/// relying party. Tenant <c>demo</c> (domain demo.test): alice, bob, carol, mallory. At the primary,
/// mallory's Entra account carries alice's address in its <c>email</c> claim (the "nOAuth" attack) and
/// a <c>preferred_username</c> outside the tenant's domains.
/// </summary>
internal sealed class FederationWorld : IAsyncDisposable
{
    public const string UpstreamSecret = "upstream-client-secret-0123456789";
    public const string PrimaryName = "Primary IdP";
    public const string SovereignName = "Sovereign IdP";

    private readonly TempDirectory _dir = new("federation");
    private readonly string _prefix = "{fed" + Guid.NewGuid().ToString("N")[..10] + "}:";

    private FederationWorld()
    {
    }

    public RedisServer Redis { get; } = new();

    /// <summary>Entra-shaped upstream (tenant <see cref="EntraTenantId"/>).</summary>
    public OidcUpstream Primary { get; private set; } = null!;

    /// <summary>Keycloak-shaped upstream.</summary>
    public OidcUpstream Sovereign { get; private set; } = null!;

    public InProcessGateway A { get; private set; } = null!;

    public RelyingParty Rp { get; private set; } = null!;

    public Uri Issuer { get; private set; } = null!;

    /// <summary>The primary's <c>tid</c>, also the gateway's configured <c>TenantId</c> for it.</summary>
    public string EntraTenantId { get; } = Guid.NewGuid().ToString();

    /// <summary>The upstream subjects (<c>sub</c>) of each user, per upstream: none may reach the relying party.</summary>
    public Dictionary<string, string> PrimarySubjects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> SovereignSubjects { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="policy">The tenant's automatic failover policy.</param>
    /// <param name="settings">Gateway configuration entries added to (or replacing) the defaults.</param>
    public static async Task<FederationWorld> StartAsync(AutomaticFailover policy = AutomaticFailover.Suggest, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var world = new FederationWorld();
        try
        {
            await world.StartPartsAsync(policy, settings);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(AutomaticFailover policy, IReadOnlyDictionary<string, string?>? extra)
    {
        var keys = TestKeys.WriteTo(_dir.Path);
        var port = FreePort.Next();
        var rpPort = FreePort.Next();
        Issuer = new Uri($"http://127.0.0.1:{port}/");

        string[] people = ["alice", "bob", "carol", "mallory"];
        foreach (var who in people)
        {
            PrimarySubjects[$"{who}@demo.test"] = PairwiseSubject();
            SovereignSubjects[$"{who}@demo.test"] = Guid.NewGuid().ToString();
        }

        var primaryUsers = people.Select(who => new OidcUpstreamUser($"{who}@demo.test", PrimarySubjects[$"{who}@demo.test"], Name(who),
            who == "mallory"
                ? new Dictionary<string, object?> { ["email"] = "alice@demo.test", ["preferred_username"] = "mallory@evil.test" }
                : null));
        var sovereignUsers = people.Where(who => who != "mallory")
            .Select(who => new OidcUpstreamUser($"{who}@demo.test", SovereignSubjects[$"{who}@demo.test"], Name(who)));

        var primaryStart = OidcUpstream.StartAsync(OidcUpstreamProfile.Entra, [Client(port, "primary")], primaryUsers, EntraTenantId);
        var sovereignStart = OidcUpstream.StartAsync(OidcUpstreamProfile.Keycloak, [Client(port, "sovereign")], sovereignUsers);
        try
        {
            await Task.WhenAll(primaryStart, sovereignStart);
        }
        finally
        {
            Primary = primaryStart.IsCompletedSuccessfully ? primaryStart.Result : null!;
            Sovereign = sovereignStart.IsCompletedSuccessfully ? sovereignStart.Result : null!;
        }

        A = await IdentityWorld.StartNodeAsync(port, Settings(policy, keys, rpPort, extra));
        Rp = await RelyingParty.StartAsync(rpPort, Issuer);
    }

    public RouteTable Routes => A.Get<RouteTable>();

    public Task<IReadOnlyList<ApprovalRequest>> PendingAsync() => A.Get<FailoverService>().ListPendingAsync();

    /// <summary>Upstream output for assertion messages.</summary>
    public string Describe() => $"{Primary?.Describe()}\n{Sovereign?.Describe()}";

    private static OidcUpstreamClient Client(int gatewayPort, string provider) =>
        new("continuity", UpstreamSecret, [$"http://127.0.0.1:{gatewayPort}/signin/demo/{provider}"]);

    private static string Name(string who) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(who) + " Demo";

    /// <summary>Entra's <c>sub</c> looks like this: 43 base64url characters, different per application.</summary>
    private static string PairwiseSubject() => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private Dictionary<string, string?> Settings(AutomaticFailover policy, (string Signing, string Encryption, string NextSigning) keys, int rpPort, IReadOnlyDictionary<string, string?>? extra)
    {
        var data = _dir.Combine("node-a");
        Directory.CreateDirectory(data);
        var s = DemoNodeSettings.Create(data, Redis.ConnectionString, _prefix, policy, Issuer, keys, rpPort);
        s["Continuity:Tenants:demo:Providers:primary:DisplayName"] = PrimaryName;
        s["Continuity:Tenants:demo:Providers:primary:Identity:Authority"] = Primary.Issuer.AbsoluteUri;
        s["Continuity:Tenants:demo:Providers:primary:Identity:ClientId"] = "continuity";
        s["Continuity:Tenants:demo:Providers:primary:Identity:ClientSecret"] = UpstreamSecret;
        s["Continuity:Tenants:demo:Providers:primary:Identity:Profile"] = "Entra";
        s["Continuity:Tenants:demo:Providers:primary:Identity:TenantId"] = EntraTenantId;
        s["Continuity:Tenants:demo:Providers:sovereign:DisplayName"] = SovereignName;
        s["Continuity:Tenants:demo:Providers:sovereign:Identity:Authority"] = Sovereign.Issuer.AbsoluteUri;
        s["Continuity:Tenants:demo:Providers:sovereign:Identity:ClientId"] = "continuity";
        s["Continuity:Tenants:demo:Providers:sovereign:Identity:ClientSecret"] = UpstreamSecret;
        s["Continuity:Tenants:demo:Providers:sovereign:Identity:Profile"] = "Generic";
        return s.With(extra);
    }

    public async ValueTask DisposeAsync()
    {
        if (Rp is not null)
        {
            await Rp.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (Primary is not null)
        {
            await Primary.DisposeAsync();
        }

        if (Sovereign is not null)
        {
            await Sovereign.DisposeAsync();
        }

        Redis.Dispose();
        _dir.Dispose();
    }
}
