using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Status_RunningNode_ReportsStoreRoutesAndItsHttpListener()
    {
        using var redis = new RedisServer();
        await using var gateway = await InProcessGateway.StartAsync(redis.ConnectionString);
        using var client = gateway.Client(apiKey: null);

        var live = await client.GetAsync("health/live");
        var ready = await client.GetAsync("health/ready");
        var status = JsonNode.Parse(await client.GetStringAsync("health/status"))!;

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
    public async Task Metrics_AfterRouteChange_PrometheusTextWithRoutesPerProvider()
    {
        using var redis = new RedisServer();
        await using var gateway = await InProcessGateway.StartAsync(redis.ConnectionString);
        using var admin = gateway.Client();
        await admin.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "metrics" });

        var response = await admin.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("continuity_state_store_up 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_version 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_users{tenant=\"demo\",provider=\"sovereign\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("continuity_route_tenant_default{tenant=\"demo\",provider=\"primary\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE continuity_route_snapshot_age_seconds gauge\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreStopped_RoutingGoesOnChangesAnswer503AndStatusSaysSo()
    {
        using var redis = new RedisServer();
        await using var gateway = await InProcessGateway.StartAsync(redis.ConnectionString);
        using var admin = gateway.Client();
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
