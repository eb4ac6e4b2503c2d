using System.Net;
using Continuity.Core.Audit;
using Continuity.Identity.Tests.Support;

namespace Continuity.Identity.Tests.Federation;

/// <summary>Links are made only from verified addresses, and one upstream gets one subject per address.</summary>
[Trait("Category", "Server")]
public sealed class AccountLinkTests : IAsyncLifetime
{
    private IdentityWorld _world = null!;

    public async Task InitializeAsync() => _world = await IdentityWorld.StartAsync(withRelyingParty: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Login_UnverifiedEmail_NotLinkedNoCodeAndAudited()
    {
        var (_, challenge) = OidcProtocol.Pkce();
        using var browser = new Browser();

        var page = await browser.NavigateAsync(
            OidcProtocol.AuthorizeUrl(_world.Issuer, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect, challenge),
            "carol@demo.test", provider: "sovereign", stopAt: IdentityWorld.NativeRedirect);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.False(page.Url.AbsoluteUri.StartsWith(IdentityWorld.NativeRedirect, StringComparison.Ordinal));
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(IdentityWorld.NativeRedirect, StringComparison.Ordinal));
        var refused = Assert.Single(await _world.A.Get<AuditLog>().TailAsync("demo", 20), r => r.Action == "identity.link.refused");
        Assert.Equal("carol@demo.test", refused.User);
        Assert.Contains("not verified", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_SecondSubjectOfSameUpstreamClaimsLinkedAddress_RefusedAndAudited()
    {
        var (code, verifier) = await OidcProtocol.CodeAsync(_world, "alice@demo.test", IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);
        var alice = await OidcProtocol.RedeemAsync(_world.Issuer, code, verifier, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);
        var (_, challenge) = OidcProtocol.Pkce();
        using var browser = new Browser();

        var page = await browser.NavigateAsync(
            OidcProtocol.AuthorizeUrl(_world.Issuer, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect, challenge),
            "mallory@demo.test", stopAt: IdentityWorld.NativeRedirect);

        Assert.Equal(HttpStatusCode.OK, alice.Status);
        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.False(page.Url.AbsoluteUri.StartsWith(IdentityWorld.NativeRedirect, StringComparison.Ordinal));
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(IdentityWorld.NativeRedirect, StringComparison.Ordinal));
        var records = await _world.A.Get<AuditLog>().TailAsync("demo", 20);
        Assert.Single(records, r => r.Action == "identity.link.created" && r.User == "alice@demo.test");
        var refused = Assert.Single(records, r => r.Action == "identity.link.refused");
        Assert.Equal("alice@demo.test", refused.User);
        Assert.Contains("another subject", refused.Reason, StringComparison.Ordinal);
    }
}
