using System.Net;
using System.Text.Json;
using Continuity.Core.Audit;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Identity.Tests.Support;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// The point of the gateway: a real relying party logs users in through it, and when a user's
/// upstream changes the relying party sees the same issuer, subject and address. (Stand-in upstreams;
/// cut-offs and outages are tested against oidc-provider in <see cref="UpstreamCutoffTests"/> and
/// <see cref="UpstreamOutageTests"/>: a refusal through the browser is no longer evidence.)
/// </summary>
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
