using System.Net;
using System.Text.Json;
using Continuity.Identity.Tests.Support;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Server;

/// <summary>The gateway's OIDC provider spoken to directly: the happy path and every refusal the issue lists.</summary>
[Trait("Category", "Server")]
public sealed class TokenEndpointTests : IAsyncLifetime
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string NativeRedirect = IdentityWorld.NativeRedirect;
    private IdentityWorld _world = null!;
    private string WebRedirect => _world.WebAppRedirect;

    public async Task InitializeAsync() => _world = await IdentityWorld.StartAsync(withRelyingParty: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Discovery_ServesIssuerEndpointsAndBothSigningKeys()
    {
        var (status, body) = await GetAsync(new Uri(_world.Issuer, ".well-known/openid-configuration"));
        using var discovery = JsonDocument.Parse(body);
        var jwks = JsonDocument.Parse((await GetAsync(new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!))).Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_world.Issuer.AbsoluteUri, discovery.RootElement.GetProperty("issuer").GetString());
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "revocation_endpoint", "introspection_endpoint", "pushed_authorization_request_endpoint" })
        {
            Assert.StartsWith(_world.Issuer.AbsoluteUri, discovery.RootElement.GetProperty(endpoint).GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("S256", discovery.RootElement.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, jwks.RootElement.GetProperty("keys").EnumerateArray().Count(k => k.GetProperty("use").GetString() == "sig"));
    }

    [Fact]
    public async Task CodeFlow_PublicClientWithPkce_IssuesTokensWithGatewayClaims()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);

        var reply = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);
        var userinfo = await GetAsync(new Uri(_world.Issuer, "connect/userinfo"), reply.AccessToken);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var id = Payload(reply.IdToken!);
        Assert.Equal(_world.Issuer.AbsoluteUri, id.GetProperty("iss").GetString());
        Assert.Equal("alice@demo.test", id.GetProperty("email").GetString());
        Assert.True(id.GetProperty("email_verified").GetBoolean());
        Assert.Equal("demo", id.GetProperty("tenant").GetString());
        Assert.Matches("^[0-9a-f]{32}$", id.GetProperty("sub").GetString());
        Assert.NotNull(reply.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, userinfo.Status);
        Assert.Contains(id.GetProperty("sub").GetString()!, userinfo.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WrongRedirectUri_RefusedWithoutRedirect()
    {
        var (_, challenge) = Pkce();
        using var browser = new Browser();

        var page = await browser.NavigateAsync(AuthorizeUrl(_world.Issuer, Native, "http://127.0.0.1/evil", challenge), "alice@demo.test", stopAt: "http://127.0.0.1/evil");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("invalid_request", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith("http://127.0.0.1/evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authorize_MissingPkce_RedirectsWithInvalidRequestAndNoCode()
    {
        using var browser = new Browser();

        var page = await browser.NavigateAsync(AuthorizeUrl(_world.Issuer, Native, NativeRedirect, challenge: null), "alice@demo.test", stopAt: NativeRedirect);

        // Refused before or after the redirect URI is trusted: either way the standard error and no code.
        Assert.True(page.Query("error") == "invalid_request" || (page.Status == HttpStatusCode.BadRequest && page.Body.Contains("invalid_request", StringComparison.Ordinal)), page.Body);
        Assert.Null(page.Query("code"));
        Assert.Contains("code_challenge", page.Query("error_description") ?? page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_InvalidGrant()
    {
        var (code, _) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);

        var reply = await RedeemAsync(_world.Issuer, code, Pkce().Verifier, Native, NativeRedirect);

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Null(reply.AccessToken);
    }

    [Fact]
    public async Task Token_ReplayedCode_InvalidGrantAndFirstRefreshTokenRevoked()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);
        var first = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);

        var replay = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);
        var refresh = await RefreshAsync(_world.Issuer, first.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Null(replay.AccessToken);
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task Token_WrongClientSecret_InvalidClient()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", RelyingParty.ClientId, WebRedirect);

        var wrong = await RedeemAsync(_world.Issuer, code, verifier, RelyingParty.ClientId, WebRedirect, secret: "not-the-secret");
        var right = await RedeemAsync(_world.Issuer, code, verifier, RelyingParty.ClientId, WebRedirect, secret: RelyingParty.ClientSecret);

        Assert.Equal("invalid_client", wrong.Error);
        Assert.Null(wrong.AccessToken);
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Fact]
    public async Task Refresh_ReuseAfterRotation_InvalidGrant()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);
        var issued = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);

        var rotated = await RefreshAsync(_world.Issuer, issued.RefreshToken!, Native);
        var reused = await RefreshAsync(_world.Issuer, issued.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.NotEqual(issued.RefreshToken, rotated.RefreshToken);
        Assert.Equal("invalid_grant", reused.Error);
        Assert.Null(reused.AccessToken);
    }

    [Fact]
    public async Task ClientCredentials_RightAndWrongSecret()
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api" };

        var right = await TokenAsync(_world.Issuer, form, (IdentityWorld.ServiceClientId, IdentityWorld.ServiceSecret));
        var wrong = await TokenAsync(_world.Issuer, form, (IdentityWorld.ServiceClientId, "guess"));

        Assert.Equal(HttpStatusCode.OK, right.Status);
        var access = Payload(right.AccessToken!);
        Assert.Equal("service", access.GetProperty("sub").GetString());
        Assert.Equal("demo", access.GetProperty("tenant").GetString());
        Assert.Equal("https://api.demo.test", access.GetProperty("aud").GetString());
        Assert.Equal("invalid_client", wrong.Error);
    }

    [Fact]
    public async Task Revocation_RevokedRefreshToken_NoLongerRedeemable()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, NativeRedirect);
        var issued = await RedeemAsync(_world.Issuer, code, verifier, Native, NativeRedirect);

        var revoke = await PostFormAsync(new Uri(_world.Issuer, "connect/revoke"), new Dictionary<string, string>
        {
            ["token"] = issued.RefreshToken!,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = Native,
        });
        var refresh = await RefreshAsync(_world.Issuer, issued.RefreshToken!, Native);

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal("invalid_grant", refresh.Error);
    }
}
