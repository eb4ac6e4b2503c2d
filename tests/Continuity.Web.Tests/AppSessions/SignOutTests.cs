using System.Net;
using Continuity.Identity.Accounts;
using Continuity.Testing;
using Continuity.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Web.Tests.AppSessions;

[Trait("Category", "Server")]
public sealed class SignOutTests
{
    private const string PortalHost = "portal.demo.test";

    [Fact]
    public async Task SignOut_AtOneAppHost_EndsLoginHostAndOtherAppSessions()
    {
        await using var world = await WebWorld.StartAsync(WithPortal);
        using var browser = world.Browser();
        await browser.NavigateAsync(world.App("/"), "alice@demo.test");
        await browser.NavigateAsync(world.App("/", PortalHost));
        using var before = await browser.GetAsync(world.App("/home", PortalHost));

        using var signOut = await browser.PostAsync(world.App("/.continuity/signout"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Contains("Signed out", await signOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertSignedOutAsync(world, browser, PortalHost);
        await AssertSignedOutAsync(world, browser, WebWorld.WebmailHost);
    }

    [Fact]
    public async Task EndSession_AtLoginHost_EndsAppSessions()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        await browser.NavigateAsync(world.App("/"), "alice@demo.test");

        using var question = await browser.GetAsync(world.App("/connect/endsession", WebWorld.LoginHost));
        using var endSession = await browser.PostAsync(world.App("/connect/endsession", WebWorld.LoginHost), Browser.HiddenFields(await question.Content.ReadAsStringAsync()));

        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
        await AssertSignedOutAsync(world, browser, WebWorld.WebmailHost);
    }

    [Fact]
    public async Task EndSession_CrossSiteGetOrForgedPost_WithoutIdTokenHint_AsksAndKeepsTheSession()
    {
        // Arrange: alice is signed in; a page elsewhere makes her browser request the end-session endpoint
        // (an <img src>, a link, a form it built itself without the confirmation page's anti-forgery token).
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        await browser.NavigateAsync(world.App("/"), "alice@demo.test");
        var endSessionUrl = world.App("/connect/endsession", WebWorld.LoginHost);

        // Act
        using var crossSiteGet = await browser.GetAsync(endSessionUrl);
        var page = await crossSiteGet.Content.ReadAsStringAsync();
        using var forgedPost = await browser.PostAsync(world.App("/connect/endsession", WebWorld.LoginHost), [new("continuity_confirm", "yes")]);

        // Assert: a question with a POST form, nothing ended; still signed in at the app.
        Assert.Equal(HttpStatusCode.OK, crossSiteGet.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/connect/endsession\">", page, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forgedPost.StatusCode);
        using var app = await browser.GetAsync(world.App("/inbox"));
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Equal("primary webmail.demo.test", await app.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revocation_ByAdmin_EndsAppSession_OthersStay()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var bob = world.Client(await world.SignInAsync("bob@demo.test"));

        await world.Services.GetRequiredService<AccountRevoker>().RevokeAsync("ops@demo.test", "demo", "alice@demo.test", "test");

        // Within Web:SessionCheckCacheTime (1 s): app requests trust a checked cookie that long.
        await Eventually.TrueAsync(async () =>
        {
            using var aliceAfter = await alice.GetAsync(world.App("/inbox"));
            return aliceAfter.StatusCode == HttpStatusCode.Redirect && aliceAfter.Headers.Location!.OriginalString.StartsWith("http://login.demo.test/login?", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), "alice's app session refused after the revocation");
        Assert.Equal("primary webmail.demo.test", await bob.GetStringAsync(world.App("/inbox")));
    }

    [Fact]
    public async Task SignOut_WithoutSession_IsHarmless()
    {
        await using var world = await WebWorld.StartAsync();
        using var anonymous = world.Client();

        using var response = await anonymous.PostAsync(world.App("/.continuity/signout"), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The app redirects to the login page (within Web:SessionCheckCacheTime, 1 s, for a cookie it checked just
    /// before), and the login page asks (no ticket from a live login session).
    /// </summary>
    private static async Task AssertSignedOutAsync(WebWorld world, Browser browser, string host)
    {
        Uri? location = null;
        await Eventually.TrueAsync(async () =>
        {
            using var app = await browser.GetAsync(world.App("/home", host));
            location = app.StatusCode == HttpStatusCode.Redirect ? app.Headers.Location : null;
            return location is not null;
        }, TimeSpan.FromSeconds(10), $"the session on {host} ended");
        Assert.Equal(WebWorld.LoginHost, location!.Host);
        using var login = await browser.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("name=\"address\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void WithPortal(Dictionary<string, string?> settings)
    {
        settings["Continuity:Tenants:demo:Hosts:Apps:portal"] = PortalHost;
        settings["Continuity:Tenants:demo:Providers:primary:Apps:portal:0"] = settings["Continuity:Tenants:demo:Providers:primary:Apps:webmail:0"];
    }
}
