using System.Text.Json;
using Continuity.Web.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Web.Tests.Assertions;

[Trait("Category", "Server")]
public sealed class AssertionTests
{
    [Fact]
    public async Task ForgedHeaders_FromClient_NeverReachBackend()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var anonymous = world.Client();
        using var forged = new HttpRequestMessage(HttpMethod.Get, world.App("/static/x"));
        forged.Headers.Add("X-Continuity-Assertion", "forged.by.client");
        forged.Headers.Add("X-Continuity-User", "boss@demo.test");
        using var forgedSignedIn = new HttpRequestMessage(HttpMethod.Get, world.App("/inbox"));
        forgedSignedIn.Headers.Add("X-Continuity-Assertion", "forged.by.client");

        (await anonymous.SendAsync(forged)).EnsureSuccessStatusCode();
        var anonymousHeaders = world.Primary.LastHeaders!;
        (await alice.SendAsync(forgedSignedIn)).EnsureSuccessStatusCode();
        var aliceHeaders = world.Primary.LastHeaders!;

        Assert.DoesNotContain(anonymousHeaders.Keys, k => k.StartsWith("X-Continuity-", StringComparison.OrdinalIgnoreCase));
        Assert.Single(aliceHeaders["X-Continuity-Assertion"]);
        Assert.NotEqual("forged.by.client", aliceHeaders["X-Continuity-Assertion"].ToString());
    }

    [Fact]
    public async Task Assertion_VerifiesAgainstGatewayJwks()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        (await alice.GetAsync(world.App("/inbox"))).EnsureSuccessStatusCode();
        var token = world.Primary.LastHeaders!["X-Continuity-Assertion"].ToString();
        var jwks = new JsonWebKeySet(await alice.GetStringAsync(world.App("/.well-known/jwks", WebWorld.LoginHost)));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = $"http://{WebWorld.LoginHost}/",
            ValidAudience = "urn:continuity:app:webmail",
            ValidTypes = ["continuity-assertion+jwt"],
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("continuity-assertion+jwt", jwt.Typ);
        var account = await world.Get<Continuity.Identity.Accounts.AccountStore>().FindByEmailAsync("demo", "alice@demo.test");
        Assert.Equal(account!.Id, jwt.Subject); // The gateway's own account id, made at alice's first sign-in.
        Assert.Equal("alice@demo.test", jwt.GetClaim("email").Value);
        Assert.Equal("demo", jwt.GetClaim("tenant").Value);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Assertion_PresentedAsIdTokenToClientNamedLikeTheApp_Rejected()
    {
        // Arrange: a relying party whose client id is "webmail" (the app name) validates ID tokens of this
        // issuer the way OpenID Connect says: signature, issuer, its client id as audience, typ JWT.
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        (await alice.GetAsync(world.App("/inbox"))).EnsureSuccessStatusCode();
        var assertion = world.Primary.LastHeaders!["X-Continuity-Assertion"].ToString();
        var jwks = new JsonWebKeySet(await alice.GetStringAsync(world.App("/.well-known/jwks", WebWorld.LoginHost)));
        var asIdToken = new TokenValidationParameters
        {
            ValidIssuer = $"http://{WebWorld.LoginHost}/",
            ValidAudience = "webmail",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        };

        // Act: the audience check, and the type check a careful RP adds, each on its own.
        var audience = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, asIdToken);
        asIdToken.ValidAudience = "urn:continuity:app:webmail";
        asIdToken.ValidTypes = ["JWT"];
        var type = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, asIdToken);

        // Assert
        Assert.False(audience.IsValid, "an assertion passed as an ID token for client 'webmail'");
        Assert.IsType<SecurityTokenInvalidAudienceException>(audience.Exception);
        Assert.False(type.IsValid, "an assertion passed with typ JWT");
        Assert.IsType<SecurityTokenInvalidTypeException>(type.Exception);
    }

    [Fact]
    public async Task ProxyClaims_FromClientInAnySpelling_NeverReachBackend()
    {
        // Arrange: headers a backend framework may read as "the proxy says", and the assertion header spelled
        // as a CGI/PHP backend would read it (HTTP_X_CONTINUITY_ASSERTION).
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var anonymous = world.Client();
        string[] forged =
        [
            "Forwarded", "X-Real-IP", "True-Client-IP", "X-Forwarded-Prefix", "X-Forwarded-Port", "X-Original-URL",
            "X_Forwarded_For", "X_Real_IP", "X_Continuity_Assertion", "x_continuity_user", "X-CONTINUITY-ASSERTION",
        ];
        HttpRequestMessage Forged(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, world.App(path));
            foreach (var name in forged)
            {
                request.Headers.TryAddWithoutValidation(name, name == "Forwarded" ? "for=203.0.113.9;proto=https;host=evil.example" : "forged.by.client");
            }

            return request;
        }

        // Act
        using (var request = Forged("/inbox"))
        {
            (await alice.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var signedIn = world.Primary.LastHeaders!;
        using (var request = Forged("/static/x"))
        {
            (await anonymous.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var publicPath = world.Primary.LastHeaders!;

        // Assert
        foreach (var headers in new[] { signedIn, publicPath })
        {
            var leaked = headers.Where(h => h.Value.ToString().Contains("forged.by.client", StringComparison.Ordinal) || h.Value.ToString().Contains("203.0.113.9", StringComparison.Ordinal))
                .Select(h => $"{h.Key}: {h.Value}").ToList();
            Assert.True(leaked.Count == 0, "reached the backend: " + string.Join("; ", leaked));
            Assert.DoesNotContain(headers.Keys, k => k.Contains('_', StringComparison.Ordinal));
            Assert.Equal("127.0.0.1", headers["X-Forwarded-For"].ToString());
        }

        Assert.Single(signedIn["X-Continuity-Assertion"]);
        Assert.False(publicPath.ContainsKey("X-Continuity-Assertion"));
    }

    [Fact]
    public async Task ForwardedHeaders_FromUntrustedClient_AreReplaced()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var request = new HttpRequestMessage(HttpMethod.Get, world.App("/inbox"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        (await alice.SendAsync(request)).EnsureSuccessStatusCode();
        var headers = world.Primary.LastHeaders!;

        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"].ToString());
        Assert.Equal("http", headers["X-Forwarded-Proto"].ToString());
        Assert.StartsWith(WebWorld.WebmailHost, headers["X-Forwarded-Host"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedHeaders_FromTrustedProxy_AreKept()
    {
        await using var world = await WebWorld.StartAsync(s => s["Continuity:Web:TrustedProxies:0"] = "127.0.0.1");
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var request = new HttpRequestMessage(HttpMethod.Get, world.App("/inbox"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");

        (await alice.SendAsync(request)).EnsureSuccessStatusCode();
        var headers = world.Primary.LastHeaders!;

        Assert.Equal("203.0.113.9, 127.0.0.1", headers["X-Forwarded-For"].ToString());
        Assert.Equal("https", headers["X-Forwarded-Proto"].ToString());
    }
}
