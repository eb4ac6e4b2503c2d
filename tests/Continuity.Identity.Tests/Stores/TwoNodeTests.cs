using System.Net;
using Continuity.Identity.Tests.Support;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Stores;

/// <summary>
/// Two gateway nodes on one redis-server (same key prefix, key files and issuer): codes are
/// redeemable once on any node, refresh tokens work on any node, the published keys are the same.
/// </summary>
[Trait("Category", "Server")]
public sealed class TwoNodeTests : IAsyncLifetime
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string Redirect = IdentityWorld.NativeRedirect;
    private IdentityWorld _world = null!;
    private InProcessGateway _b = null!;

    public async Task InitializeAsync()
    {
        _world = await IdentityWorld.StartAsync(withRelyingParty: false);
        _b = await _world.StartNodeBAsync();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Code_IssuedByA_RedeemedAtBOnceThenRefusedAtA()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, Redirect);

        var atB = await RedeemAsync(_b.BaseAddress, code, verifier, Native, Redirect);
        var againAtA = await RedeemAsync(_world.A.BaseAddress, code, verifier, Native, Redirect);
        var againAtB = await RedeemAsync(_b.BaseAddress, code, verifier, Native, Redirect);

        Assert.Equal(HttpStatusCode.OK, atB.Status);
        Assert.Equal(_world.Issuer.AbsoluteUri, Payload(atB.IdToken!).GetProperty("iss").GetString());
        Assert.Equal("invalid_grant", againAtA.Error);
        Assert.Equal("invalid_grant", againAtB.Error);
    }

    [Fact]
    public async Task Code_RedeemedAtAAndBAtOnce_ExactlyOneWins()
    {
        for (var round = 0; round < 5; round++)
        {
            var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, Redirect);

            var replies = await Task.WhenAll(
                RedeemAsync(_world.A.BaseAddress, code, verifier, Native, Redirect),
                RedeemAsync(_b.BaseAddress, code, verifier, Native, Redirect));

            Assert.Single(replies, r => r.Status == HttpStatusCode.OK && r.AccessToken is not null);
            Assert.Single(replies, r => r.Error == "invalid_grant" && r.AccessToken is null);
        }
    }

    [Fact]
    public async Task RefreshToken_FromA_WorksAtB_AndRotatedOneIsRefusedAtA()
    {
        var (code, verifier) = await CodeAsync(_world, "bob@demo.test", Native, Redirect);
        var fromA = await RedeemAsync(_world.A.BaseAddress, code, verifier, Native, Redirect);

        var atB = await RefreshAsync(_b.BaseAddress, fromA.RefreshToken!, Native);
        var reusedAtA = await RefreshAsync(_world.A.BaseAddress, fromA.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, atB.Status);
        Assert.Equal(Payload(fromA.IdToken!).GetProperty("sub").GetString(), Payload(atB.IdToken!).GetProperty("sub").GetString());
        Assert.Equal("invalid_grant", reusedAtA.Error);
    }

    [Fact]
    public async Task Session_StartedAtA_AcceptedAtBWithoutLoginPage()
    {
        using var browser = new Browser();
        var (_, challenge) = Pkce();
        var atA = await browser.NavigateAsync(AuthorizeUrl(_world.A.BaseAddress, Native, Redirect, challenge), "alice@demo.test", stopAt: Redirect);

        var (verifier, challengeB) = Pkce();
        var atB = await browser.NavigateAsync(AuthorizeUrl(_b.BaseAddress, Native, Redirect, challengeB), address: null, stopAt: Redirect);
        var reply = await RedeemAsync(_b.BaseAddress, atB.Query("code")!, verifier, Native, Redirect);

        Assert.NotNull(atA.Query("code"));
        Assert.DoesNotContain(browser.Visited.SkipWhile(u => u.Port != _b.BaseAddress.Port), u => u.AbsolutePath == "/login");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(["alice@demo.test"], _world.Primary.Logins);
        var store = _world.A.Get<Continuity.Core.State.StateStore>();
        Assert.True(await store.Database.ListLengthAsync(store.Keys.Prefix + "dataprotection:keys") > 0, "the session key ring is in the shared store");
    }

    [Fact]
    public async Task Jwks_SameOnBothNodes()
    {
        var a = await GetAsync(new Uri(_world.A.BaseAddress, ".well-known/jwks"));
        var b = await GetAsync(new Uri(_b.BaseAddress, ".well-known/jwks"));

        Assert.Equal(HttpStatusCode.OK, a.Status);
        Assert.Equal(a.Body, b.Body);
    }
}
