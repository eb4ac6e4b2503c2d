using System.Net;
using System.Security.Claims;
using Continuity.Core.State;
using Continuity.Identity.AppSessions;
using Continuity.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Web.Tests.AppSessions;

[Trait("Category", "Server")]
public sealed class AppSessionTests
{
    private const string PortalHost = "portal.demo.test";

    [Fact]
    public async Task SignIn_StartedAtAppHost_EndsAtAppWithItsOwnHostOnlyCookie()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();

        var page = await browser.NavigateAsync(world.App("/inbox?folder=1"), "alice@demo.test");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("primary webmail.demo.test", page.Body);
        Assert.Equal("/inbox?folder=1", page.Url.PathAndQuery);
        Assert.Equal(
            ["webmail.demo.test /inbox", "login.demo.test /login", "login.demo.test /login", "127.0.0.1 /connect/authorize", "login.demo.test /signin/demo/primary", "webmail.demo.test /.continuity/session", "webmail.demo.test /inbox"],
            browser.Visited.Select(u => u.Host + " " + u.AbsolutePath));
        var appCookie = Assert.Single(browser.Cookies.GetCookies(world.App("/")));
        Assert.Equal("__continuity_id", appCookie.Name);
        Assert.True(appCookie.HttpOnly);
        Assert.Equal(WebWorld.WebmailHost, appCookie.Domain); // Host-only: no Domain attribute was sent.
    }

    [Fact]
    public async Task TicketRedemption_SetsHostOnlyLaxHttpOnlyCookie_AndRedirectsToReturnPath()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        var ticketUrl = (await browser.NavigateAsync(world.App("/inbox"), "alice@demo.test", stopAtPath: AppSessionTickets.Path)).Url;
        using var client = world.Client(browser.CookieHeader(ticketUrl)); // the same browser: its binding cookie

        using var response = await client.GetAsync(ticketUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/inbox", response.Headers.Location!.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__continuity_id=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);
        using var alice = world.Client(setCookie.Split(';')[0]);
        Assert.Equal("primary webmail.demo.test", await alice.GetStringAsync(world.App("/inbox")));
    }

    [Fact]
    public async Task SecondApp_WithLoginSession_GetsTicketWithoutAskingAgain()
    {
        await using var world = await WebWorld.StartAsync(WithPortal);
        using var browser = world.Browser();
        await browser.NavigateAsync(world.App("/"), "alice@demo.test");
        browser.Visited.Clear();

        var page = await browser.NavigateAsync(world.App("/home", PortalHost)); // No address: a login page would stop here.

        Assert.Equal("primary portal.demo.test", page.Body);
        Assert.Equal(
            ["portal.demo.test /home", "login.demo.test /login", "portal.demo.test /.continuity/session", "portal.demo.test /home"],
            browser.Visited.Select(u => u.Host + " " + u.AbsolutePath));
    }

    [Fact]
    public async Task Ticket_MadeByAttackersSignIn_OpenedInVictimsBrowser_Is400WithoutCookie()
    {
        // Arrange: login CSRF. The attacker signs in as himself and stops before his ticket is used; the victim has
        // visited the app before (her own binding cookie there) or not at all.
        await using var world = await WebWorld.StartAsync();
        using var attacker = world.Browser();
        var ticketUrl = (await attacker.NavigateAsync(world.App("/inbox"), "bob@demo.test", stopAtPath: AppSessionTickets.Path)).Url;
        using var victim = world.Browser();
        (await victim.GetAsync(world.App("/inbox"))).Dispose(); // her own challenge: her own nonce cookie on the app host
        using var stranger = world.Client();

        // Act: the attacker's link opened by the victim (a link, an <img>, a redirect from his page).
        using var inVictimsBrowser = await victim.GetAsync(ticketUrl);
        using var withoutBinding = await stranger.GetAsync(ticketUrl);
        using var inAttackersBrowser = await world.Client(attacker.CookieHeader(ticketUrl)).GetAsync(ticketUrl);

        // Assert: no session for the victim; the ticket still works in the browser that asked for it.
        await AssertRefusedAsync(inVictimsBrowser);
        await AssertRefusedAsync(withoutBinding);
        Assert.Empty(victim.Cookies.GetCookies(world.App("/")));
        Assert.Equal(HttpStatusCode.Redirect, inAttackersBrowser.StatusCode);
    }

    [Fact]
    public async Task Ticket_Replayed_Is400WithoutCookie()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        var ticketUrl = (await browser.NavigateAsync(world.App("/inbox"), "alice@demo.test", stopAtPath: AppSessionTickets.Path)).Url;
        using var client = world.Client(browser.CookieHeader(ticketUrl));
        using var first = await client.GetAsync(ticketUrl);

        using var replay = await client.GetAsync(ticketUrl);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await AssertRefusedAsync(replay);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-ticket")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Ticket_Forged_Is400WithoutCookie(string ticket)
    {
        await using var world = await WebWorld.StartAsync();
        using var client = world.Client();

        using var response = await client.GetAsync(world.App($"{AppSessionTickets.Path}?ticket={ticket}"));

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Ticket_Tampered_Is400WithoutCookie()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        var ticketUrl = (await browser.NavigateAsync(world.App("/inbox"), "alice@demo.test", stopAtPath: AppSessionTickets.Path)).Url.AbsoluteUri;
        var last = ticketUrl[^2];
        using var client = world.Client();

        using var response = await client.GetAsync(new Uri(ticketUrl[..^2] + (last == 'A' ? 'B' : 'A') + ticketUrl[^1]));

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Ticket_ForAnotherAppHost_Is400WithoutCookie()
    {
        await using var world = await WebWorld.StartAsync(WithPortal);
        using var browser = world.Browser();
        var ticketUrl = (await browser.NavigateAsync(world.App("/inbox"), "alice@demo.test", stopAtPath: AppSessionTickets.Path)).Url;
        using var client = world.Client();

        using var response = await client.GetAsync(world.App(ticketUrl.PathAndQuery, PortalHost));

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Ticket_Expired_Is400WithoutCookie()
    {
        await using var world = await WebWorld.StartAsync();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));
        var tickets = new AppSessionTickets(world.Get<IDataProtectionProvider>(), world.Get<StateStore>(), past);
        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "a1"), new Claim("email", "alice@demo.test"), new Claim("tenant", "demo")], "test"));
        var ticketUrl = new Uri(tickets.RedirectFor("demo", world.App("/inbox"), alice));
        using var client = world.Client();

        using var response = await client.GetAsync(ticketUrl);

        await AssertRefusedAsync(response);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("http://evil.example/")]
    [InlineData("http://webmail.demo.test.evil.example/")]
    [InlineData("http://user@webmail.demo.test/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/\t/evil.example/")]
    public async Task LoginPage_ReturnUrlToForeignHost_Is400WithoutCookie(string returnUrl)
    {
        await using var world = await WebWorld.StartAsync();
        using var client = world.Client();
        var login = world.App("/login", WebWorld.LoginHost);

        using var show = await client.GetAsync(new Uri(login + "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        using var submit = await client.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["address"] = "alice@demo.test",
            ["returnUrl"] = returnUrl,
            ["provider"] = "",
        }));

        await AssertRefusedAsync(show);
        await AssertRefusedAsync(submit);
    }

    [Fact]
    public async Task LoginPage_SignedInWithForeignReturnUrl_IssuesNoTicket()
    {
        await using var world = await WebWorld.StartAsync();
        using var browser = world.Browser();
        await browser.NavigateAsync(world.App("/"), "alice@demo.test");

        using var response = await browser.GetAsync(world.App("/login?returnUrl=" + Uri.EscapeDataString("https://evil.example/"), WebWorld.LoginHost));

        await AssertRefusedAsync(response);
    }

    private static void WithPortal(Dictionary<string, string?> settings)
    {
        settings["Continuity:Tenants:demo:Hosts:Apps:portal"] = PortalHost;
        settings["Continuity:Tenants:demo:Providers:primary:Apps:portal:0"] = settings["Continuity:Tenants:demo:Providers:primary:Apps:webmail:0"];
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Sign-in link not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Null(response.Headers.Location);
    }
}
