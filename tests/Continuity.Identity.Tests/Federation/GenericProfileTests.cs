using System.Net;
using System.Text.Json;
using Continuity.Core.Audit;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// Profile <c>Generic</c> against a Keycloak-shaped oidc-provider: <c>sub</c> is the stable id, and
/// an address links only when <c>email_verified</c> is true (JSON boolean or the string "true").
/// Keycloak repeats <c>sub</c>, <c>email</c>, <c>email_verified</c>, <c>name</c> at userinfo.
/// </summary>
[Trait("Category", "Server")]
public sealed class GenericProfileTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Login_KeycloakClaimsInIdTokenAndUserinfo_RelyingPartySeesGatewayIssuerOwnSubjectAndEmail()
    {
        await using var world = await FederationWorld.StartAsync();

        var alice = await SignInAsync(world, "alice@demo.test", provider: "sovereign");
        var again = await SignInAsync(world, "alice@demo.test", provider: "sovereign");

        Assert.Equal(world.Issuer.AbsoluteUri, alice.Issuer);
        Assert.Equal("alice@demo.test", alice.Email);
        Assert.False(string.IsNullOrEmpty(alice.Subject));
        Assert.NotEqual(world.SovereignSubjects["alice@demo.test"], alice.Subject);
        Assert.DoesNotContain(world.SovereignSubjects["alice@demo.test"], alice.IdToken ?? "", StringComparison.Ordinal);
        Assert.Equal(alice.Subject, again.Subject);
        Assert.Equal(["alice@demo.test", "alice@demo.test"], await world.Sovereign.LoginsAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData("true")]
    public async Task Login_EmailVerifiedAsBooleanOrString_Links(object verified)
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Sovereign.SetClaimsAsync("bob@demo.test", new Dictionary<string, object?> { ["email_verified"] = verified });

        var bob = await SignInAsync(world, "bob@demo.test", provider: "sovereign");

        Assert.Equal("bob@demo.test", bob.Email);
        Assert.Equal(world.Issuer.AbsoluteUri, bob.Issuer);
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        Assert.Single(records, r => r.Action == "identity.link.created" && r.User == "bob@demo.test");
    }

    [Theory]
    [InlineData(false)]
    [InlineData("false")]
    public async Task Login_EmailNotVerified_RefusedWithPageNotLinked(object verified)
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Sovereign.SetClaimsAsync("carol@demo.test", new Dictionary<string, object?> { ["email_verified"] = verified });

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "carol@demo.test", "sovereign");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(world.Rp.RedirectUri.AbsoluteUri, StringComparison.Ordinal));
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        Assert.DoesNotContain(records, r => r.Action == "identity.link.created");
    }

    [Fact]
    public async Task Login_NoEmailClaim_ClearForbiddenPageNot500()
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Sovereign.SetClaimsAsync("carol@demo.test", new Dictionary<string, object?> { ["email"] = null, ["email_verified"] = null });

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "carol@demo.test", "sovereign");

        Assert.True(page.Status == HttpStatusCode.Forbidden, $"{page.Status} at {page.Url}: {Head(page.Body)}\n{world.Describe()}");
        Assert.Contains("<html", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cannot be used", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(world.Rp.RedirectUri.AbsoluteUri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_UserinfoSubjectDiffersFromIdToken_RefusedOnGatewayErrorPage()
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Sovereign.SetClaimsAsync("alice@demo.test", new Dictionary<string, object?> { ["userinfo:sub"] = "someone-else" });

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test", "sovereign");

        Assert.True(page.Status is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError, $"{page.Status} at {page.Url}: {Head(page.Body)}\n{world.Describe()}");
        Assert.False(string.IsNullOrWhiteSpace(page.Body));
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(world.Rp.RedirectUri.AbsoluteUri, StringComparison.Ordinal));
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        Assert.DoesNotContain(records, r => r.Action == "identity.link.created");
    }

    internal static async Task<RelyingPartyView> SignInAsync(FederationWorld world, string address, string? provider = null)
    {
        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), address, provider);
        Assert.True(page.Status == HttpStatusCode.OK, $"{page.Status} at {page.Url}: {Head(page.Body)}\n{world.Describe()}");
        return JsonSerializer.Deserialize<RelyingPartyView>(page.Body, Json)!;
    }

    internal static string Head(string body) => body[..Math.Min(body.Length, 800)];
}
