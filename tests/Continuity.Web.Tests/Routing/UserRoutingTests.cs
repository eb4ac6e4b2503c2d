using System.Net;
using Continuity.Web.Tests.Support;

namespace Continuity.Web.Tests.Routing;

[Trait("Category", "Server")]
public sealed class UserRoutingTests
{
    [Fact]
    public async Task Request_AfterUserRouteChange_GoesToNewProviderWhileOthersStay()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var bob = world.Client(await world.SignInAsync("bob@demo.test"));
        var inbox = world.App("/inbox");

        Assert.Equal("primary webmail.demo.test", await alice.GetStringAsync(inbox));
        Assert.Equal("primary webmail.demo.test", await bob.GetStringAsync(inbox));

        await world.RouteAsync("alice@demo.test", "sovereign");

        Assert.Equal("sovereign webmail.demo.test", await alice.GetStringAsync(inbox));
        Assert.Equal("primary webmail.demo.test", await bob.GetStringAsync(inbox));
    }

    [Fact]
    public async Task GatewayPaths_OnAppHost_BelongToTheApp()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));

        Assert.Equal("primary webmail.demo.test", await alice.GetStringAsync(world.App("/login")));
        Assert.Equal("primary webmail.demo.test", await alice.GetStringAsync(world.App("/.well-known/openid-configuration")));
        Assert.Equal("primary webmail.demo.test", await alice.GetStringAsync(world.App("/connect/token")));
    }

    [Fact]
    public async Task Request_WithoutSession_IsSentToGatewayLogin()
    {
        await using var world = await WebWorld.StartAsync();
        using var anonymous = world.Client();

        using var page = await anonymous.GetAsync(world.App("/inbox?folder=1"));
        using var post = await anonymous.PostAsync(world.App("/send"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Matches($"^http://login\\.demo\\.test/login\\?returnUrl=http%3A%2F%2Fwebmail\\.demo\\.test%3A{world.Port}%2Finbox%3Ffolder%3D1%26continuity_bind%3D[A-Za-z0-9_-]{{43}}$", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Request_OverHttpBehindTlsTerminatingBalancer_ReturnsToHttpsAppUrl()
    {
        await using var world = await WebWorld.StartAsync(s => s["Continuity:Identity:Tenants:demo:Issuer"] = $"https://{WebWorld.LoginHost}/");
        using var anonymous = world.Client();

        using var page = await anonymous.GetAsync(world.App("/inbox"));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"https://login.demo.test/login?returnUrl=https%3A%2F%2Fwebmail.demo.test%3A{world.Port}%2Finbox%3Fcontinuity_bind%3D", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPath_WithoutSession_UsesTenantDefaultRoute()
    {
        await using var world = await WebWorld.StartAsync();
        using var anonymous = world.Client();

        Assert.Equal("primary webmail.demo.test", await anonymous.GetStringAsync(world.App("/static/app.css")));
        await world.RouteAsync(null, "sovereign");
        Assert.Equal("sovereign webmail.demo.test", await anonymous.GetStringAsync(world.App("/static/app.css")));
    }

    [Fact]
    public async Task Request_ForUnknownHost_Is404()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));

        using var response = await alice.GetAsync(world.App("/inbox", "unknown.demo.test"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
