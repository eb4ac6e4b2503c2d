using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Health;

[Trait("Category", "Server")]
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Status_RunningNode_ReportsStoreRoutesAndItsHttpListener()
    {
        using var redis = new RedisServer();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString);
        using var client = gateway.Client(bearer: null);
        using var admin = gateway.Client(DemoGateway.OpsKey);

        var live = await client.GetAsync("health/live");
        var ready = await client.GetAsync("health/ready");
        var status = JsonNode.Parse(await admin.GetStringAsync("health/status"))!;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("external", status["store"]!["mode"]!.GetValue<string>());
        Assert.True(status["store"]!["reachable"]!.GetValue<bool>());
        Assert.Equal($"127.0.0.1:{redis.Port}", status["store"]!["endpoint"]!.GetValue<string>());
        var listener = Assert.Single(status["listeners"]!.AsArray())!;
        Assert.Equal(("http", gateway.Port), (listener["protocol"]!.GetValue<string>(), listener["port"]!.GetValue<int>()));
        Assert.Contains(status["tenants"]!.AsArray(), t => t!["id"]!.GetValue<string>() == "demo" && t["defaultProvider"]!.GetValue<string>() == "primary");
    }

    [Fact]
    public async Task StatusAndMetrics_Anonymous_401_UserCookieOrBadKey_Refused_LiveAndReadyPublic()
    {
        using var redis = new RedisServer();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString);
        using var anonymous = gateway.Client(bearer: null);
        using var wrongKey = gateway.Client("not-a-key");

        var status = await anonymous.GetAsync("health/status");
        var metrics = await anonymous.GetAsync("metrics");
        var statusOnLoginHost = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "health/status") { Headers = { Host = "login.demo.test" } });
        var badKey = await wrongKey.GetAsync("metrics");
        var live = await anonymous.GetAsync("health/live");
        var ready = await anonymous.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, statusOnLoginHost.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync() + await status.Content.ReadAsStringAsync();
        Assert.DoesNotContain("continuity_", text, StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
    }

    [Fact]
    public async Task StatusAndMetrics_AdminOfOneTenant_SeesOnlyThatTenant()
    {
        using var redis = new RedisServer();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString);
        using var other = gateway.Client(DemoGateway.OtherTenantKey);

        var status = JsonNode.Parse(await other.GetStringAsync("health/status"))!;
        var metrics = await other.GetStringAsync("metrics");

        Assert.Equal(["other"], status["tenants"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Contains("tenant=\"other\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant=\"demo\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementListener_ServesStatusAndMetricsWithoutCredentials_AndNothingElse()
    {
        using var redis = new RedisServer();
        var port = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString, customize: c => c["Listeners"]!["Management"] = port);
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        using var anonymous = gateway.Client(bearer: null);

        var status = await management.GetAsync("health/status");
        var metrics = await management.GetStringAsync("metrics");
        var ready = await management.GetAsync("health/ready");
        var adminApi = await management.GetAsync("admin/api/tenants");
        var login = await management.GetAsync("login");
        var publicStatus = await anonymous.GetAsync("health/status");
        var publicStatusWithManagementHost = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "health/status") { Headers = { Host = $"127.0.0.1:{port}" } });

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var json = JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
        Assert.Equal(["demo", "other"], json["tenants"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Contains(json["listeners"]!.AsArray(), l => l!["name"]!.GetValue<string>() == "management" && l["port"]!.GetValue<int>() == port);
        Assert.Contains("continuity_route_tenant_default{provider=\"primary\",tenant=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, adminApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, publicStatus.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, publicStatusWithManagementHost.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterRouteChange_PrometheusTextWithRoutesPerProvider()
    {
        using var redis = new RedisServer();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString);
        using var admin = gateway.Client(DemoGateway.OpsKey);
        await admin.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "metrics" });

        var response = await admin.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("continuity_state_store_up 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_version 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_users{provider=\"sovereign\",tenant=\"demo\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_tenant_default{provider=\"primary\",tenant=\"demo\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE continuity_route_snapshot_age_seconds gauge\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreStopped_RoutingGoesOnChangesAnswer503AndStatusSaysSo()
    {
        using var redis = new RedisServer();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString);
        using var admin = gateway.Client(DemoGateway.OpsKey);
        await admin.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "before outage" });

        redis.Stop();
        await Eventually.TrueAsync(async () => !JsonNode.Parse(await admin.GetStringAsync("health/status"))!["store"]!["reachable"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(15), "the node notices the store is gone");
        var change = await admin.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "bob@demo.test", to = "sovereign", reason = "during outage" });
        var routes = JsonNode.Parse(await admin.GetStringAsync("admin/api/tenants/demo/routes"))!;
        var ready = await admin.GetAsync("health/ready");
        var metrics = await admin.GetStringAsync("metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, change.StatusCode);
        Assert.Contains("state store is unreachable", JsonNode.Parse(await change.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sovereign", routes["users"]!["alice@demo.test"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("fail-static", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("continuity_state_store_up 0\n", metrics, StringComparison.Ordinal);
    }
}
