using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using Continuity.Testing.Identity;

namespace Continuity.Gateway.Tests.Accounts;

/// <summary>
/// The admin API with the gateway's own sign-in: a user signs in through the login page (upstream stand-in,
/// real gateway cookie) and calls the admin API with that session; admins come from <c>Tenants:demo:Admins</c>.
/// </summary>
[Trait("Category", "Server")]
public sealed class AdminSignInTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private static async Task<InProcessGateway> StartAsync(string redis, StandInUpstream upstream)
    {
        var port = FreePort.Next();
        return await DemoGateway.StartWithUpstreamsAsync(redis, continuity =>
        {
            continuity["Identity"] = new JsonObject
            {
                ["AllowInsecureHttp"] = true,
                ["UpstreamTimeout"] = "00:00:15", // a stand-in upstream on two busy cores
                ["Tenants"] = new JsonObject { ["demo"] = new JsonObject { ["Issuer"] = $"http://127.0.0.1:{port}/" } },
            };
            var demo = continuity["Tenants"]!["demo"]!;
            demo["Hosts"] = new JsonObject { ["Login"] = "127.0.0.1" };
            demo["Providers"]!["primary"]!["Identity"]!["Authority"] = upstream.Issuer.AbsoluteUri;
        }, port);
    }

    private static async Task<Browser> SignInAsync(InProcessGateway gateway, string address)
    {
        var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(gateway.BaseAddress, "login"), address);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/signin/demo/primary");
        Assert.True((int)page.Status < 500, $"sign-in of {address} ended at {page.Url} with {(int)page.Status}: {page.Body}{Environment.NewLine}gateway log:{Environment.NewLine}{gateway.Problems.Describe()}");
        return browser;
    }

    [Fact]
    public async Task AdminApi_SignedInAdminNonAdminAndNobody_200_403_401()
    {
        await using var upstream = await StandInUpstream.StartAsync();
        await using var gateway = await StartAsync(redis.Server.ConnectionString, upstream);
        var routes = new Uri(gateway.BaseAddress, "admin/api/tenants/demo/routes");
        using var admin = await SignInAsync(gateway, "ops@demo.test");
        using var user = await SignInAsync(gateway, "alice@demo.test");
        using var nobody = new Browser();

        var asAdmin = await admin.GetAsync(routes);
        var asUser = await user.GetAsync(routes);
        var asNobody = await nobody.GetAsync(routes);

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal("primary", JsonNode.Parse(await asAdmin.Content.ReadAsStringAsync())!["default"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asNobody.StatusCode);
    }

    [Fact]
    public async Task AdminApi_SignedInAdminChangesRoute_AuditedUnderTheirAddress()
    {
        await using var upstream = await StandInUpstream.StartAsync();
        await using var gateway = await StartAsync(redis.Server.ConnectionString, upstream);
        using var admin = await SignInAsync(gateway, "ops@demo.test");
        using var viewer = await SignInAsync(gateway, "auditor@demo.test");

        var changed = await PostJsonAsync(admin, gateway, "admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "signed-in admin" });
        var byViewer = await PostJsonAsync(viewer, gateway, "admin/api/tenants/demo/routes", new { user = "bob@demo.test", to = "sovereign", reason = "x" });
        using var ops = gateway.Client(DemoGateway.OpsKey);
        var audit = JsonNode.Parse(await ops.GetStringAsync("admin/api/audit"))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        var change = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "route.changed");
        Assert.Equal(("ops@demo.test", "alice@demo.test"), (change!["actor"]!.GetValue<string>(), change["user"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AdminApi_AdminWhoseAccountWasRevoked_401()
    {
        await using var upstream = await StandInUpstream.StartAsync();
        await using var gateway = await StartAsync(redis.Server.ConnectionString, upstream);
        var routes = new Uri(gateway.BaseAddress, "admin/api/tenants/demo/routes");
        using var admin = await SignInAsync(gateway, "second@demo.test");
        var before = await admin.GetAsync(routes);
        using var ops = gateway.Client(DemoGateway.OpsKey);

        var revoked = await ops.PostAsJsonAsync("admin/api/tenants/demo/accounts/second@demo.test/revoke", new { reason = "left the team" });
        var after = await admin.GetAsync(routes);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(Browser browser, InProcessGateway gateway, string path, object body)
    {
        // What the admin console's own script sends: the anti-forgery header and its origin (a change made with the cookie needs both).
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, path)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Continuity-Csrf", "1");
        request.Headers.Add("Origin", gateway.BaseAddress.GetLeftPart(UriPartial.Authority));
        return await browser.SendAsync(request);
    }
}
