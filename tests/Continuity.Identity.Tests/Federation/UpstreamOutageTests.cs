using System.Diagnostics;
using System.Net;
using Continuity.Core.Health;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// An upstream that is down (503, connection reset) or hangs must not hang the user: the login page
/// comes back within 5 s with a plain message and the other sign-in option, and the return URL is
/// the one the user came with (Continuity:Identity:UpstreamTimeout bounds the gateway's calls, 3 s).
/// </summary>
[Trait("Category", "Server")]
public sealed class UpstreamOutageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(OidcOutage.ServiceUnavailable)]
    [InlineData(OidcOutage.Reset)]
    [InlineData(OidcOutage.Hang)]
    public async Task Login_PrimaryDownBeforeFirstUse_LoginPageWithinFiveSecondsWithSovereignOptionAndReturnUrlKept(OidcOutage outage)
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Primary.SetOutageAsync(outage);

        await AssertLoginPageComesBackAsync(world);
    }

    [Theory]
    [InlineData(OidcOutage.ServiceUnavailable)]
    [InlineData(OidcOutage.Reset)]
    public async Task Login_PrimaryDownAfterUseAndProbesRed_LoginPageWithinFiveSecondsWithSovereignOptionAndReturnUrlKept(OidcOutage outage)
    {
        await using var world = await FederationWorld.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Continuity:Identity:Probes:Interval"] = "00:00:01",
            ["Continuity:Identity:Probes:Timeout"] = "00:00:01",
        });
        await GenericProfileTests.SignInAsync(world, "bob@demo.test"); // the gateway knows the primary's endpoints now
        await world.Primary.SetOutageAsync(outage);
        await Eventually.TrueAsync(
            () => world.A.Get<BackendHealthRegistry>().All.Any(r => r.Provider == "primary" && !r.Up), TimeSpan.FromSeconds(10), "the probes see the primary down");

        await AssertLoginPageComesBackAsync(world);
    }

    private static async Task AssertLoginPageComesBackAsync(FederationWorld world)
    {
        using var browser = new Browser();
        var login = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"));
        Assert.True(login.IsLoginPage, $"{login.Status} at {login.Url}: {GenericProfileTests.Head(login.Body)}");
        Assert.StartsWith("/connect/authorize", login.ReturnUrl, StringComparison.Ordinal);

        var started = Stopwatch.GetTimestamp();
        var again = await browser.SubmitLoginAsync(login, "alice@demo.test");
        var took = Stopwatch.GetElapsedTime(started);

        Assert.True(again.IsLoginPage, $"{again.Status} at {again.Url} after {took.TotalSeconds:0.0} s: {GenericProfileTests.Head(again.Body)}\n{world.Describe()}");
        Assert.True(took < Patience, $"the login page came back after {took.TotalSeconds:0.0} s");
        Assert.NotEqual(HttpStatusCode.InternalServerError, again.Status);
        Assert.Contains("role=\"alert\"", again.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ID2", again.Body, StringComparison.Ordinal); // no OpenIddict error text
        Assert.Contains("Sign in with " + FederationWorld.SovereignName, again.Body, StringComparison.Ordinal);
        Assert.Equal(login.ReturnUrl, again.ReturnUrl);

        var viaSovereign = await browser.SubmitLoginAsync(again, "alice@demo.test", "sovereign");
        Assert.True(viaSovereign.Status == HttpStatusCode.OK, $"{viaSovereign.Status} at {viaSovereign.Url}: {GenericProfileTests.Head(viaSovereign.Body)}\n{world.Describe()}");
        Assert.StartsWith(world.Rp.BaseUri.AbsoluteUri + "me", viaSovereign.Url.AbsoluteUri, StringComparison.Ordinal);
    }
}
