using System.Net;
using System.Text.Json;
using Continuity.Identity.Tests.Support;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Server;

[Trait("Category", "Server")]
public sealed class PushedAuthorizationTests
{
    [Fact]
    public async Task Par_PushedRequestThenAuthorize_CodeRedeemable()
    {
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        var (verifier, challenge) = Pkce();
        var (status, body) = await PostFormAsync(new Uri(world.Issuer, "connect/par"), new Dictionary<string, string>
        {
            ["client_id"] = RelyingParty.ClientId,
            ["client_secret"] = RelyingParty.ClientSecret,
            ["response_type"] = "code",
            ["redirect_uri"] = world.WebAppRedirect,
            ["scope"] = "openid email",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "par-state",
        });
        var requestUri = JsonDocument.Parse(body).RootElement.GetProperty("request_uri").GetString()!;
        using var browser = new Browser();

        var page = await browser.NavigateAsync(
            new Uri(world.Issuer, $"connect/authorize?client_id={RelyingParty.ClientId}&request_uri={Uri.EscapeDataString(requestUri)}"),
            "bob@demo.test", stopAt: world.WebAppRedirect);
        var reply = await RedeemAsync(world.Issuer, page.Query("code")!, verifier, RelyingParty.ClientId, world.WebAppRedirect, RelyingParty.ClientSecret);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("par-state", page.Query("state"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("bob@demo.test", Payload(reply.IdToken!).GetProperty("email").GetString());
    }
}
