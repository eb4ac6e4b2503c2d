using System.Net;
using Continuity.Identity.Tests.Support;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Server;

/// <summary>Refusals of the acceptance list not covered elsewhere: an identity token hint of another client at the authorization endpoint, a refresh token reused after rotation (the whole chain ends), malformed refresh tokens.</summary>
[Trait("Category", "Server")]
public sealed class HintAndReuseTests : IAsyncLifetime
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string NativeRedirect = IdentityWorld.NativeRedirect;
    private IdentityWorld _world = null!;

    public async Task InitializeAsync() => _world = await IdentityWorld.StartAsync(withRelyingParty: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Authorize_IdTokenHintOfAnotherClient_InvalidRequestAndNoCode()
    {
        using var alice = new Browser();
        var (verifier, challenge) = Pkce();
        var first = await alice.NavigateAsync(AuthorizeUrl(_world.Issuer, Native, NativeRedirect, challenge), "alice@demo.test", stopAt: NativeRedirect);
        var native = await RedeemAsync(_world.Issuer, first.Query("code")!, verifier, Native, NativeRedirect);
        var (_, webChallenge) = Pkce();

        // Same browser (a live gateway session), the web app's request with the native app's identity token.
        var url = new Uri(AuthorizeUrl(_world.Issuer, RelyingParty.ClientId, _world.WebAppRedirect, webChallenge, "openid email").AbsoluteUri
            + "&prompt=none&id_token_hint=" + Uri.EscapeDataString(native.IdToken!));
        var page = await alice.NavigateAsync(url, address: null, stopAt: _world.WebAppRedirect);

        Assert.True(page.Query("error") == "invalid_request" || (page.Status == HttpStatusCode.BadRequest && page.Body.Contains("invalid_request", StringComparison.Ordinal)), $"{page.Url} {page.Body}");
        Assert.Null(page.Query("code"));
    }

    [Fact]
    public async Task Refresh_ReusedAfterRotation_RotatedTokenRevokedToo()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);
        var issued = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);
        var rotated = await RefreshAsync(_world.Issuer, issued.RefreshToken!, Native);

        // No reuse leeway: a second use of a redeemed refresh token is taken for theft and ends the chain.
        var reused = await RefreshAsync(_world.Issuer, issued.RefreshToken!, Native);
        var rotatedAfterwards = await RefreshAsync(_world.Issuer, rotated.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.Equal("invalid_grant", reused.Error);
        Assert.Equal("invalid_grant", rotatedAfterwards.Error);
        Assert.Null(rotatedAfterwards.AccessToken);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("a.b.c.d.e")]
    public async Task Refresh_MalformedToken_InvalidGrantNoToken(string token)
    {
        var reply = await RefreshAsync(_world.Issuer, token, Native);

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Null(reply.AccessToken);
    }

    [Fact]
    public async Task Refresh_EmptyToken_InvalidRequest()
    {
        var reply = await RefreshAsync(_world.Issuer, "", Native);

        Assert.Equal("invalid_request", reply.Error);
        Assert.Null(reply.AccessToken);
    }
}
