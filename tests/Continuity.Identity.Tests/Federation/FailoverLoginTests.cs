using System.Net;
using System.Text.Json;
using Continuity.Core.Audit;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Identity.Tests.Support;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// The point of the gateway: a real relying party logs users in through it, and when a user's
/// upstream changes the relying party sees the same issuer, subject and address.
/// </summary>
[Trait("Category", "Server")]
public sealed class FailoverLoginTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Login_RouteMovedToSovereign_RelyingPartySeesSameIssuerSubjectAndEmail()
    {
        await using var world = await IdentityWorld.StartAsync();

        var aliceBefore = await LoginThroughRelyingPartyAsync(world, "alice@demo.test");
        var bobBefore = await LoginThroughRelyingPartyAsync(world, "bob@demo.test");
        await world.RouteAsync("alice@demo.test", "sovereign");
        var aliceAfter = await LoginThroughRelyingPartyAsync(world, "alice@demo.test");
        var bobAfter = await LoginThroughRelyingPartyAsync(world, "bob@demo.test");

        Assert.Equal(world.Issuer.AbsoluteUri, aliceBefore.Issuer);
        Assert.Equal("alice@demo.test", aliceBefore.Email);
        Assert.Equal("demo", aliceBefore.Tenant);
        Assert.Equal((aliceBefore.Issuer, aliceBefore.Subject, aliceBefore.Email), (aliceAfter.Issuer, aliceAfter.Subject, aliceAfter.Email));
        Assert.DoesNotContain("p-alice", aliceAfter.Subject, StringComparison.Ordinal);
        Assert.Equal((bobBefore.Issuer, bobBefore.Subject), (bobAfter.Issuer, bobAfter.Subject));
        Assert.NotEqual(aliceBefore.Subject, bobBefore.Subject);
        Assert.Equal(["alice@demo.test", "bob@demo.test", "bob@demo.test"], world.Primary.Logins);
        Assert.Equal(["alice@demo.test"], world.Sovereign.Logins);
    }

    [Fact]
    public async Task Login_PrimaryCutsAliceOffAtTokenEndpoint_SignalAppliesRouteAndSovereignKeepsSubject()
    {
        await using var world = await IdentityWorld.StartAsync(AutomaticFailover.Apply);
        var before = await LoginThroughRelyingPartyAsync(world, "alice@demo.test");
        var bob = await LoginThroughRelyingPartyAsync(world, "bob@demo.test");
        world.Primary.Refusals["alice@demo.test"] = new UpstreamRefusal(AtTokenEndpoint: true, Code: "50057");

        using var refused = new Browser();
        var page = await refused.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test");
        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("Sign in with Sovereign IdP", page.Body, StringComparison.Ordinal);
        await world.WaitForRouteAsync("alice@demo.test", "sovereign");
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        var moved = Assert.Single(records, r => r.Action == "route.changed" && r.User == "alice@demo.test");
        Assert.Contains("50057", moved.Details, StringComparison.Ordinal);
        Assert.Equal("signal:identity", moved.Actor);

        var after = await LoginThroughRelyingPartyAsync(world, "alice@demo.test");
        var bobAgain = await LoginThroughRelyingPartyAsync(world, "bob@demo.test");
        Assert.Equal((before.Issuer, before.Subject, before.Email), (after.Issuer, after.Subject, after.Email));
        Assert.Equal(bob.Subject, bobAgain.Subject);
        Assert.Equal("primary", world.A.Get<Continuity.Core.Routing.RouteTable>().Resolve("demo", "bob@demo.test"));
    }

    [Fact]
    public async Task Login_RefusalOnlyInBrowserQueryWithApplyPolicy_HintAuditedRouteUnchanged()
    {
        await using var world = await IdentityWorld.StartAsync(AutomaticFailover.Apply);
        world.Primary.Refusals["alice@demo.test"] = new UpstreamRefusal(AtTokenEndpoint: false, Code: "50057");

        using var refused = new Browser();
        var page = await refused.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("Sign in with Sovereign IdP", page.Body, StringComparison.Ordinal);
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        var hint = Assert.Single(records, r => r.Action == "identity.cutoff.hint");
        Assert.Equal("alice@demo.test", hint.User);
        Assert.Contains("front channel (unverified)", hint.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(records, r => r.Action is "route.changed" or "approval.requested");
        Assert.Empty(await world.A.Get<FailoverService>().ListPendingAsync());
        Assert.Equal("primary", world.A.Get<Continuity.Core.Routing.RouteTable>().Resolve("demo", "alice@demo.test"));
    }

    [Fact]
    public async Task Login_PrimaryRefusesAtTokenEndpointWithSuggestPolicy_PendingFailoverForAlice()
    {
        await using var world = await IdentityWorld.StartAsync(AutomaticFailover.Suggest);
        world.Primary.Refusals["alice@demo.test"] = new UpstreamRefusal(AtTokenEndpoint: true, Code: "50057");

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        var pending = Assert.Single(await world.A.Get<FailoverService>().ListPendingAsync());
        Assert.Equal("alice@demo.test", pending.User);
        Assert.Equal("sovereign", pending.To);
        Assert.Equal("primary", world.A.Get<Continuity.Core.Routing.RouteTable>().Resolve("demo", "alice@demo.test"));
    }

    [Fact]
    public async Task Login_ExplicitSovereignButton_UsesSovereignWithoutRouteChange()
    {
        await using var world = await IdentityWorld.StartAsync();
        var viaPrimary = await LoginThroughRelyingPartyAsync(world, "alice@demo.test");

        var viaSovereign = await LoginThroughRelyingPartyAsync(world, "alice@demo.test", provider: "sovereign");

        Assert.Equal(viaPrimary.Subject, viaSovereign.Subject);
        Assert.Equal(["alice@demo.test"], world.Sovereign.Logins);
    }

    internal static async Task<RelyingPartyView> LoginThroughRelyingPartyAsync(IdentityWorld world, string address, string? provider = null)
    {
        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), address, provider);
        Assert.True(page.Status == HttpStatusCode.OK, $"{page.Status} at {page.Url}: {page.Body[..Math.Min(page.Body.Length, 600)]}");
        return JsonSerializer.Deserialize<RelyingPartyView>(page.Body, Json)!;
    }
}
