using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Core.State;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>The admin API over real HTTP against a real redis-server: the switch, its refusals, and what they leave behind.</summary>
[Trait("Category", "Server")]
public sealed class AdminApiTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private Task<InProcessGateway> StartAsync(int approvals = 1, string automatic = "Suggest") =>
        DemoGateway.StartAsync(redis.Server.ConnectionString, approvals, automatic);

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, contentType));

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task AssertNothingChangedAsync(HttpClient client)
    {
        var routes = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/routes"));
        Assert.Equal(0, routes["version"]!.GetValue<long>());
        Assert.Empty(routes["users"]!.AsObject());
        Assert.Empty((await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray());
    }

    [Fact]
    public async Task PostRoutes_Operator_AppliedAndNextLookupOnThisNodeUsesIt()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);

        var response = await client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "sanctioned" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(("applied", "primary", "sovereign", 1L), (body["status"]!.GetValue<string>(), body["before"]!.GetValue<string>(), body["after"]!.GetValue<string>(), body["version"]!.GetValue<long>()));
        var routes = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/routes"));
        Assert.Equal("sovereign", routes["users"]!["alice@demo.test"]!.GetValue<string>());
        Assert.Null(routes["users"]!["bob@demo.test"]);
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray();
        Assert.Equal("ops@demo.test", Assert.Single(audit)!["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task AdminApi_NoKeyOrUnknownKey_401WithProblem()
    {
        await using var gateway = await StartAsync();
        using var anonymous = gateway.Client(bearer: null);
        using var wrong = gateway.Client("not-a-key");

        var none = await anonymous.GetAsync("admin/api/tenants");
        var unknown = await PostJsonAsync(wrong, "admin/api/tenants/demo/routes", """{"user":"alice@demo.test","to":"sovereign","reason":"x"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        await AssertNothingChangedAsync(ops);
    }

    [Fact]
    public async Task AdminApi_ViewerChangesOrOtherTenantsAdminReads_403()
    {
        await using var gateway = await StartAsync();
        using var viewer = gateway.Client(DemoGateway.ViewerKey);
        using var other = gateway.Client(DemoGateway.OtherTenantKey);

        var viewerRead = await viewer.GetAsync("admin/api/tenants/demo/routes");
        var viewerWrite = await viewer.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "x" });
        var otherRead = await other.GetAsync("admin/api/tenants/demo/routes");
        var otherWrite = await other.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "x" });
        var otherTenants = (await JsonAsync(await other.GetAsync("admin/api/tenants"))).AsArray();

        Assert.Equal(HttpStatusCode.OK, viewerRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherWrite.StatusCode);
        Assert.Equal("other", Assert.Single(otherTenants)!["id"]!.GetValue<string>());
        using var ops = gateway.Client(DemoGateway.OpsKey);
        await AssertNothingChangedAsync(ops);
    }

    [Theory]
    [InlineData("""{"user":"alice@demo.test","to":"sovereign","reason":"x" """, 400, "not valid JSON")]
    [InlineData("""[1,2,3]""", 400, "not valid JSON")]
    [InlineData("""{"user":"alice@demo.test","reason":"x"}""", 400, "'to' is required")]
    [InlineData("""{"user":"alice@demo.test","to":"mars","reason":"x"}""", 400, "'mars' is not a provider")]
    [InlineData("""{"user":"carol@demo.test","to":"sovereign","reason":"x"}""", 400, "not a known user")]
    [InlineData("""{"user":"alice@other.test","to":"sovereign","reason":"x"}""", 400, "not an address in tenant")]
    [InlineData("""{"user":"alice@demo.test","to":"sovereign","reason":""}""", 400, "A reason is required")]
    [InlineData("""{"user":"alice@demo.test","to":"sovereign"}""", 400, "A reason is required")]
    [InlineData("""{"user":"alice@demo.test","to":"sovereign","reason":"x","expectedVersion":"one"}""", 400, "not valid JSON")]
    public async Task PostRoutes_BadInput_ProblemWithClearDetailAndNothingChanges(string json, int status, string detail)
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);

        var response = await PostJsonAsync(client, "admin/api/tenants/demo/routes", json);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await JsonAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(client);
    }

    [Fact]
    public async Task PostRoutes_UnknownTenantOversizedOrNotJson_404_413_415()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);
        var huge = """{"user":"alice@demo.test","to":"sovereign","reason":" """ + new string('x', 300 * 1024) + "\"}";

        var unknown = await client.PostAsJsonAsync("admin/api/tenants/nowhere/routes", new { user = "alice@demo.test", to = "sovereign", reason = "x" });
        var oversized = await PostJsonAsync(client, "admin/api/tenants/demo/routes", huge);
        var text = await PostJsonAsync(client, "admin/api/tenants/demo/routes", "to=sovereign", "text/plain");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        await AssertNothingChangedAsync(client);
    }

    [Fact]
    public async Task PostRoutes_StaleExpectedVersion_409AndRouteUnchanged()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);
        await client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "bob@demo.test", to = "sovereign", reason = "first" });

        var response = await client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "second", expectedVersion = 0 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var routes = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/routes"));
        Assert.Null(routes["users"]!["alice@demo.test"]);
        Assert.Equal(1, routes["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task TwoPersonRule_RequesterCannotApproveSecondAdminCan()
    {
        await using var gateway = await StartAsync(approvals: 2);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var second = gateway.Client(DemoGateway.SecondKey);

        var request = await ops.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "two-person" });
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        var id = (await JsonAsync(request))["request"]!["id"]!.GetValue<string>();
        var own = await ops.PostAsync($"admin/api/approvals/{id}/approve", null);
        var pendingAfterOwn = (await JsonAsync(await ops.GetAsync("admin/api/approvals"))).AsArray();
        var approved = await second.PostAsync($"admin/api/approvals/{id}/approve", null);
        var again = await second.PostAsync($"admin/api/approvals/{id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("own request", (await JsonAsync(own))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(pendingAfterOwn);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Applied", (await JsonAsync(approved))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var routes = await JsonAsync(await ops.GetAsync("admin/api/tenants/demo/routes"));
        Assert.Equal("sovereign", routes["users"]!["alice@demo.test"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reject_PendingRequest_RejectedAndRouteUnchanged()
    {
        await using var gateway = await StartAsync(approvals: 2);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var second = gateway.Client(DemoGateway.SecondKey);
        var request = await ops.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "maybe" });
        var id = (await JsonAsync(request))["request"]!["id"]!.GetValue<string>();

        var rejected = await second.PostAsJsonAsync($"admin/api/approvals/{id}/reject", new { reason = "not confirmed" });
        var unknown = await second.PostAsync("admin/api/approvals/0000000000000000/approve", null);

        Assert.Equal("Rejected", (await JsonAsync(rejected))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty((await JsonAsync(await ops.GetAsync("admin/api/approvals"))).AsArray());
        Assert.Empty((await JsonAsync(await ops.GetAsync("admin/api/tenants/demo/routes")))["users"]!.AsObject());
    }

    [Fact]
    public async Task PostSignals_ApplyPolicy_MovesTheUserAndAuditsEvidence()
    {
        await using var gateway = await StartAsync(automatic: "Apply");
        using var client = gateway.Client(DemoGateway.OpsKey);

        var response = await client.PostAsJsonAsync("admin/api/tenants/demo/signals",
            new { user = "alice@demo.test", provider = "primary", source = "monitor", evidence = "AADSTS50057: user account is disabled" });

        Assert.Equal("applied", (await JsonAsync(response))["outcome"]!.GetValue<string>());
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray();
        var signal = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "signal.recorded")!;
        var moved = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "route.changed")!;
        Assert.Equal("signal:api:ops@demo.test via monitor", signal["actor"]!.GetValue<string>());
        Assert.Equal("signal:api:ops@demo.test via monitor", moved["actor"]!.GetValue<string>());
        Assert.Contains("AADSTS50057", signal["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("AADSTS50057", moved["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSignals_SuggestPolicyWithSourcePosingAsAnotherAdmin_SignalAuditedUnderTheCallersName()
    {
        await using var gateway = await StartAsync(automatic: "Suggest");
        using var client = gateway.Client(DemoGateway.OpsKey);

        var response = await client.PostAsJsonAsync("admin/api/tenants/demo/signals",
            new { user = "alice@demo.test", provider = "primary", source = "second@demo.test", evidence = "NO [AUTHENTICATIONFAILED]" });

        Assert.Equal("suggested", (await JsonAsync(response))["outcome"]!.GetValue<string>());
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray();
        var signal = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "signal.recorded")!;
        Assert.StartsWith("signal:api:ops@demo.test", signal["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("alice@demo.test", signal["user"]!.GetValue<string>());
        Assert.Contains("NO [AUTHENTICATIONFAILED]", signal["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "approval.requested");
    }

    [Fact]
    public async Task PostSignals_FiveUsersCutOffWithApplyPolicy_TenantDefaultMovesToo()
    {
        await using var gateway = await StartAsync(automatic: "Apply");
        using var client = gateway.Client(DemoGateway.OpsKey);
        string[] users = ["alice@demo.test", "bob@demo.test", "carol@demo.test", "dave@demo.test", "erin@demo.test"];
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("admin/api/tenants/demo/users", new { addresses = users[2..] })).StatusCode);

        foreach (var user in users[..4])
        {
            await client.PostAsJsonAsync("admin/api/tenants/demo/signals", new { user, provider = "primary", source = "monitor", evidence = "NO [AUTHENTICATIONFAILED]" });
        }

        Assert.Equal("primary", (await JsonAsync(await client.GetAsync("admin/api/tenants/demo/routes")))["default"]!.GetValue<string>());
        var fifth = await client.PostAsJsonAsync("admin/api/tenants/demo/signals", new { user = users[4], provider = "primary", source = "monitor", evidence = "NO [AUTHENTICATIONFAILED]" });

        Assert.Equal("applied", (await JsonAsync(fifth))["outcome"]!.GetValue<string>());
        Assert.Equal("sovereign", (await JsonAsync(await client.GetAsync("admin/api/tenants/demo/routes")))["default"]!.GetValue<string>());
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray();
        var tenantWide = Assert.Single(audit, r => r!["user"] is null && r["action"]!.GetValue<string>() == "route.changed")!;
        Assert.Equal("sovereign", tenantWide["after"]!.GetValue<string>());
        Assert.Contains("5 users of demo cut off by primary within 10 min", tenantWide["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostUsers_ImportThenRoute_KnownAfterImportAndForeignAddressesRefusedWhole()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);

        var refused = await client.PostAsJsonAsync("admin/api/tenants/demo/users", new { addresses = new[] { "carol@demo.test", "mallory@evil.test" } });
        var beforeImport = await client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "carol@demo.test", to = "sovereign", reason = "x" });
        var imported = await client.PostAsJsonAsync("admin/api/tenants/demo/users", new { addresses = new[] { "carol@demo.test" } });
        var afterImport = await client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "carol@demo.test", to = "sovereign", reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beforeImport.StatusCode);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterImport.StatusCode);
    }

    [Fact]
    public async Task PostRoutes_ClientHangsUpWhileRetrying_GatewayStopsWorkingOnIt()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.Client(DemoGateway.OpsKey);
        var store = gateway.Services.GetRequiredService<StateStore>();
        // A version the read script sees as 1 and the change script as 1.5: every attempt is refused as "moved", so the
        // change keeps retrying (up to 200 times, about ten seconds of back-off), one script call after another.
        await store.Database.StringSetAsync(store.Keys.RouteVersion, "1.5");
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var before = await ScriptCallsAsync(server);
        using var hangUp = new CancellationTokenSource();
        var request = client.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "drill" }, hangUp.Token);
        await Eventually.TrueAsync(async () => await ScriptCallsAsync(server) > before + 20, TimeSpan.FromSeconds(10), "the change is retrying");

        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The gateway stops too (RequestAborted reaches the retry loop): the script calls stop within a moment. Before,
        // the loop ran on for seconds after the caller was gone, never pausing 500 ms between two attempts.
        var last = -1L;
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            var calls = await ScriptCallsAsync(server);
            if (calls != last)
            {
                (last, quiet) = (calls, System.Diagnostics.Stopwatch.StartNew());
            }

            return quiet.Elapsed > TimeSpan.FromMilliseconds(500);
        }, TimeSpan.FromSeconds(4), "no more script calls once the client hung up");
        Assert.Empty((await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray());
    }

    /// <summary>Lua script calls the store has answered so far (EVAL and EVALSHA), from INFO commandstats.</summary>
    private static async Task<long> ScriptCallsAsync(StackExchange.Redis.IServer server)
    {
        var info = (string)(await server.ExecuteAsync("INFO", "commandstats"))!;
        return info.Split('\n').Where(l => l.StartsWith("cmdstat_eval:", StringComparison.Ordinal) || l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
