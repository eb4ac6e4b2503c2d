using System.Net;
using Continuity.Core.Audit;
using Continuity.Core.Configuration;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// An upstream that cuts a user off, as Entra does (AADSTS50057). A refusal at its token endpoint
/// (back channel, between the gateway and the upstream) is evidence: it raises a cut-off signal. A
/// refusal that comes back through the browser (<c>error=</c> on the callback) is only a hint: anyone
/// can send a browser there with any error, so it changes nothing, but the user is offered the other
/// sign-in option with the return URL kept.
/// </summary>
[Trait("Category", "Server")]
public sealed class UpstreamCutoffTests
{
    [Fact]
    public async Task Login_TokenEndpointCutsAliceOffWithSuggestPolicy_PendingFailoverForAliceOnly()
    {
        await using var world = await FederationWorld.StartAsync(AutomaticFailover.Suggest);
        await world.Primary.CutOffAsync("alice@demo.test");

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test");
        var bob = await GenericProfileTests.SignInAsync(world, "bob@demo.test");

        Assert.True(page.Status == HttpStatusCode.Forbidden, $"{page.Status} at {page.Url}: {GenericProfileTests.Head(page.Body)}\n{world.Describe()}");
        Assert.Contains("Sign in with " + FederationWorld.SovereignName, page.Body, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await world.PendingAsync()).Count > 0, TimeSpan.FromSeconds(5), "a pending failover");
        var pending = Assert.Single(await world.PendingAsync());
        Assert.Equal("alice@demo.test", pending.User);
        Assert.Equal("sovereign", pending.To);
        Assert.Equal("primary", world.Routes.Resolve("demo", "alice@demo.test"));
        Assert.Equal("primary", world.Routes.Resolve("demo", "bob@demo.test"));
        Assert.Equal("bob@demo.test", bob.Email);
        Assert.Equal(["bob@demo.test"], await world.Primary.LoginsAsync());
    }

    [Fact]
    public async Task Login_TokenEndpointCutsAliceOffWithApplyPolicy_RouteMovesAndSovereignKeepsSubject()
    {
        await using var world = await FederationWorld.StartAsync(AutomaticFailover.Apply);
        var before = await GenericProfileTests.SignInAsync(world, "alice@demo.test");
        var bob = await GenericProfileTests.SignInAsync(world, "bob@demo.test");
        await world.Primary.CutOffAsync("alice@demo.test");

        using var refused = new Browser();
        var page = await refused.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "alice@demo.test");
        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        await Eventually.TrueAsync(() => world.Routes.Resolve("demo", "alice@demo.test") == "sovereign", TimeSpan.FromSeconds(10), "alice routed to sovereign");
        var moved = Assert.Single(await world.A.Get<AuditLog>().TailAsync("demo", 30), r => r.Action == "route.changed" && r.User == "alice@demo.test");
        Assert.Contains("50057", moved.Details, StringComparison.Ordinal);

        var after = await GenericProfileTests.SignInAsync(world, "alice@demo.test");
        var bobAgain = await GenericProfileTests.SignInAsync(world, "bob@demo.test");

        Assert.Equal((before.Issuer, before.Subject, before.Email), (after.Issuer, after.Subject, after.Email));
        Assert.Equal(bob.Subject, bobAgain.Subject);
        Assert.Equal("primary", world.Routes.Resolve("demo", "bob@demo.test"));
        Assert.Equal(["alice@demo.test"], await world.Sovereign.LoginsAsync());
    }

    [Fact]
    public async Task Login_AuthorizationEndpointRefusesAlice_NoSignalNoRouteChangeOtherOptionAndReturnUrlKept()
    {
        await using var world = await FederationWorld.StartAsync(AutomaticFailover.Apply);
        await world.Primary.CutOffAsync("alice@demo.test", at: OidcCutoffAt.Authorization);
        await world.Primary.CutOffAsync("bob@demo.test", at: OidcCutoffAt.Token);
        using var browser = new Browser();
        var login = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"));
        Assert.True(login.IsLoginPage, $"{login.Status} at {login.Url}: {GenericProfileTests.Head(login.Body)}");

        var refused = await browser.SubmitLoginAsync(login, "alice@demo.test");
        // bob's back-channel refusal is evidence: once it has moved bob, alice's refusal (earlier) would have been handled too.
        using (var bobBrowser = new Browser())
        {
            await bobBrowser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "bob@demo.test");
        }

        await Eventually.TrueAsync(() => world.Routes.Resolve("demo", "bob@demo.test") == "sovereign", TimeSpan.FromSeconds(10), "bob routed to sovereign");

        Assert.True(refused.IsLoginPage, $"{refused.Status} at {refused.Url}: {GenericProfileTests.Head(refused.Body)}\n{world.Describe()}");
        Assert.Contains("Sign in with " + FederationWorld.SovereignName, refused.Body, StringComparison.Ordinal);
        Assert.Equal(login.ReturnUrl, refused.ReturnUrl);
        Assert.Equal("primary", world.Routes.Resolve("demo", "alice@demo.test"));
        Assert.DoesNotContain(await world.A.Get<AuditLog>().TailAsync("demo", 30), r => r.Action == "route.changed" && r.User == "alice@demo.test");
        Assert.DoesNotContain(await world.PendingAsync(), p => p.User == "alice@demo.test");

        // The other option, from the same page: the relying party gets its answer (the return URL survived).
        var viaSovereign = await browser.SubmitLoginAsync(refused, "alice@demo.test", "sovereign");
        Assert.True(viaSovereign.Status == HttpStatusCode.OK, $"{viaSovereign.Status} at {viaSovereign.Url}: {GenericProfileTests.Head(viaSovereign.Body)}\n{world.Describe()}");
        Assert.StartsWith(world.Rp.BaseUri.AbsoluteUri + "me", viaSovereign.Url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error=access_denied&error_description=AADSTS50057%3A+The+user+account+is+disabled.&state=forged")]
    [InlineData("error=access_denied&error_description=AADSTS50057%3A+The+user+account+is+disabled.")]
    [InlineData("code=made-up&state=made-up")]
    [InlineData("")]
    public async Task Callback_ForgedByAttacker_OwnPageNoSignalNoRouteChange(string query)
    {
        await using var world = await FederationWorld.StartAsync(AutomaticFailover.Apply);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(new Uri(world.A.BaseAddress, "signin/demo/primary?" + query));
        var body = await response.Content.ReadAsStringAsync();
        await world.Primary.CutOffAsync("bob@demo.test");
        using (var bobBrowser = new Browser())
        {
            await bobBrowser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "bob@demo.test");
        }

        await Eventually.TrueAsync(() => world.Routes.Resolve("demo", "bob@demo.test") == "sovereign", TimeSpan.FromSeconds(10), "bob routed to sovereign");

        Assert.True((int)response.StatusCode is >= 300 and < 500, $"{(int)response.StatusCode}: {GenericProfileTests.Head(body)}");
        Assert.True((int)response.StatusCode < 400 || body.Length > 0, "an error answer has a body");
        Assert.Equal("primary", world.Routes.Resolve("demo", "alice@demo.test"));
        Assert.DoesNotContain(await world.A.Get<AuditLog>().TailAsync("demo", 30), r => r.Action == "route.changed" && r.User != "bob@demo.test");
        Assert.Empty(await world.PendingAsync());
    }
}
