using System.Net;
using Continuity.Identity.Accounts;
using Continuity.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Web.Tests.AppSessions;

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

        using var endSession = await browser.GetAsync(world.App("/connect/endsession", WebWorld.LoginHost));

        Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
        await AssertSignedOutAsync(world, browser, WebWorld.WebmailHost);
    }

    [Fact]
    public async Task Revocation_ByAdmin_EndsAppSession_OthersStay()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var bob = world.Client(await world.SignInAsync("bob@demo.test"));

        await world.Services.GetRequiredService<AccountRevoker>().RevokeAsync("ops@demo.test", "demo", "alice@demo.test", "test");

        using var aliceAfter = await alice.GetAsync(world.App("/inbox"));
        Assert.Equal(HttpStatusCode.Redirect, aliceAfter.StatusCode);
        Assert.StartsWith("http://login.demo.test/login?", aliceAfter.Headers.Location!.OriginalString, StringComparison.Ordinal);
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

    /// <summary>The app redirects to the login page, and the login page asks (no ticket from a live login session).</summary>
    private static async Task AssertSignedOutAsync(WebWorld world, Browser browser, string host)
    {
        using var app = await browser.GetAsync(world.App("/home", host));
        Assert.Equal(HttpStatusCode.Redirect, app.StatusCode);
        Assert.Equal(WebWorld.LoginHost, app.Headers.Location!.Host);
        using var login = await browser.GetAsync(app.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("name=\"address\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void WithPortal(Dictionary<string, string?> settings)
    {
        settings["Continuity:Tenants:demo:Hosts:Apps:portal"] = PortalHost;
        settings["Continuity:Tenants:demo:Providers:primary:Apps:portal:0"] = settings["Continuity:Tenants:demo:Providers:primary:Apps:webmail:0"];
    }
}
