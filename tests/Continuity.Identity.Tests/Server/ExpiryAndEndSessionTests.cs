using System.Net;
using Continuity.Identity.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Server;

/// <summary>Refusals that need the clock moved, or a second client.</summary>
[Trait("Category", "Server")]
public sealed class ExpiryAndEndSessionTests
{
    [Fact]
    public async Task Token_ExpiredCode_InvalidGrant()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false, time: time);
        var (code, verifier) = await CodeAsync(world, "alice@demo.test", IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);

        time.Advance(TimeSpan.FromMinutes(3)); // the code lives 2 minutes
        var reply = await RedeemAsync(world.Issuer, code, verifier, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Null(reply.AccessToken);
    }

    [Fact]
    public async Task EndSession_IdTokenHintOfAnotherClient_RefusedWithoutRedirect()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var (code, verifier) = await CodeAsync(world, "alice@demo.test", IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);
        var native = await RedeemAsync(world.Issuer, code, verifier, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);
        var webLogout = world.WebAppRedirect.Replace("signin-oidc", "signout-callback-oidc", StringComparison.Ordinal);

        var (status, body) = await GetAsync(new Uri(world.Issuer,
            $"connect/endsession?id_token_hint={native.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString(webLogout)}&client_id={RelyingParty.ClientId}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndSession_OwnIdTokenHint_RedirectsToPostLogoutUri()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var (code, verifier) = await CodeAsync(world, "alice@demo.test", RelyingParty.ClientId, world.WebAppRedirect);
        var web = await RedeemAsync(world.Issuer, code, verifier, RelyingParty.ClientId, world.WebAppRedirect, RelyingParty.ClientSecret);
        var webLogout = world.WebAppRedirect.Replace("signin-oidc", "signout-callback-oidc", StringComparison.Ordinal);
        using var browser = new Browser();

        var page = await browser.NavigateAsync(new Uri(world.Issuer,
            $"connect/endsession?id_token_hint={web.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString(webLogout)}"), stopAt: webLogout);

        Assert.StartsWith(webLogout, page.Url.AbsoluteUri, StringComparison.Ordinal);
    }
}
