using System.Net;
using System.Text;
using Continuity.Identity.Accounts;
using Continuity.Identity.Tests.Support;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Accounts;

/// <summary>
/// An admin's revocation on two nodes with one redis-server: the user's refresh tokens fail at every node,
/// the browser session is sent back to the login page on every node, and other users keep theirs.
/// </summary>
[Trait("Category", "Server")]
public sealed class RevocationTests
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string Redirect = IdentityWorld.NativeRedirect;

    [Fact]
    public async Task Revoke_SignedInUser_RefreshFailsAtBothNodesSessionGoesToLoginBobUnaffected()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var b = await world.StartNodeBAsync();
        using var alice = new Browser();
        var (verifier, challenge) = Pkce();
        var code = await alice.NavigateAsync(AuthorizeUrl(world.Issuer, Native, Redirect, challenge), "alice@demo.test", stopAt: Redirect);
        var aliceTokens = await RedeemAsync(world.A.BaseAddress, code.Query("code")!, verifier, Native, Redirect);
        var (bobCode, bobVerifier) = await CodeAsync(world, "bob@demo.test", Native, Redirect);
        var bobTokens = await RedeemAsync(b.BaseAddress, bobCode, bobVerifier, Native, Redirect);
        var aliceSubject = Payload(aliceTokens.IdToken!).GetProperty("sub").GetString()!;

        var revocation = await world.A.Get<AccountRevoker>().RevokeAsync("ops@demo.test", "demo", "alice@demo.test", "device stolen");

        Assert.NotNull(revocation);
        Assert.Equal(aliceSubject, revocation.Account.Id);
        Assert.True(revocation.Tokens >= 2, $"{revocation.Tokens} tokens revoked (code, access, refresh)");
        Assert.True(revocation.Authorizations >= 1, $"{revocation.Authorizations} authorizations revoked");
        Assert.Equal("invalid_grant", (await RefreshAsync(b.BaseAddress, aliceTokens.RefreshToken!, Native)).Error);
        Assert.Equal("invalid_grant", (await RefreshAsync(world.A.BaseAddress, aliceTokens.RefreshToken!, Native)).Error);
        foreach (var node in new[] { b.BaseAddress, world.A.BaseAddress })
        {
            var (_, again) = Pkce();
            var page = await alice.NavigateAsync(AuthorizeUrl(node, Native, Redirect, again), address: null, stopAt: Redirect);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("/login", page.Url.AbsolutePath);
            Assert.Contains("name=\"address\"", page.Body, StringComparison.Ordinal);
        }

        var bobRefreshed = await RefreshAsync(world.A.BaseAddress, bobTokens.RefreshToken!, Native);
        Assert.Equal(HttpStatusCode.OK, bobRefreshed.Status);
        Assert.Equal(["alice@demo.test", "bob@demo.test"], world.Primary.Logins);
    }

    [Fact]
    public async Task Revoke_ThenSignInAgain_NewSessionAndTokensWork()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var (code, verifier) = await CodeAsync(world, "alice@demo.test", Native, Redirect);
        await RedeemAsync(world.A.BaseAddress, code, verifier, Native, Redirect);
        await world.A.Get<AccountRevoker>().RevokeAsync("ops@demo.test", "demo", "alice@demo.test", "drill");

        var (again, againVerifier) = await CodeAsync(world, "alice@demo.test", Native, Redirect);
        var tokens = await RedeemAsync(world.A.BaseAddress, again, againVerifier, Native, Redirect);
        var refreshed = await RefreshAsync(world.A.BaseAddress, tokens.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    [Fact]
    public async Task Import_ThenFirstLogin_SubjectIsTheImportedAccountId()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var csv = Encoding.UTF8.GetBytes("email,provider,subject\nalice@demo.test,primary,p-alice-7f3a\nalice@demo.test,sovereign,s-0001\n");
        var outcome = await world.A.Get<AccountImporter>().ImportAsync("ops@demo.test", "demo", csv, json: false);
        var imported = Assert.Single(outcome.Rows.Select(r => r.AccountId).Distinct());
        await world.RouteAsync("alice@demo.test", "sovereign");

        var (code, verifier) = await CodeAsync(world, "alice@demo.test", Native, Redirect);
        var tokens = await RedeemAsync(world.A.BaseAddress, code, verifier, Native, Redirect);

        Assert.Empty(outcome.Errors);
        Assert.Equal(imported, Payload(tokens.IdToken!).GetProperty("sub").GetString());
        Assert.Equal(["alice@demo.test"], world.Sovereign.Logins);
    }
}
