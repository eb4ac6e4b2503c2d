using System.Net;
using Continuity.Core.Failover;
using Continuity.Core.Health;
using Continuity.Testing;
using Continuity.Web.Tests.Support;

namespace Continuity.Web.Tests.Health;

[Trait("Category", "Server")]
public sealed class HealthTests
{
    [Fact]
    public async Task PrimaryKilled_MarkedDownSignalSuggestedAndUsersGet503()
    {
        await using var world = await WebWorld.StartAsync();
        var registry = world.Get<BackendHealthRegistry>();
        using var bob = world.Client(await world.SignInAsync("bob@demo.test"));
        await Eventually.TrueAsync(() => registry.All.Any(r => r.Provider == "primary" && r.Kind == "app:webmail" && r.Up), TimeSpan.FromSeconds(10), "primary probed up");

        await world.Primary.StopAsync();

        // Interval 200 ms, threshold 1: down at the next probe; 5 s is the deadline, not a wait.
        await Eventually.TrueAsync(() => registry.All.Any(r => r.Provider == "primary" && r.Kind == "app:webmail" && !r.Up), TimeSpan.FromSeconds(5), "primary probed down");
        await Eventually.TrueAsync(
            async () => (await world.Get<FailoverService>().ListPendingAsync()).Any(p => p.Tenant == "demo" && p.User is null && p.To == "sovereign"),
            TimeSpan.FromSeconds(5), "a tenant-level failover suggestion");
        using var response = await bob.GetAsync(world.App("/inbox"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Every server of this application is down", page, StringComparison.Ordinal);
        Assert.Single(await world.Get<FailoverService>().ListPendingAsync());
        Assert.Contains(registry.All, r => r.Provider == "sovereign" && r.Up);
    }

    [Fact]
    public async Task PrimaryKilled_WithApplyPolicy_TenantMovesToSovereign()
    {
        await using var world = await WebWorld.StartAsync(s => s["Continuity:Tenants:demo:Failover:Automatic"] = "Apply");
        using var bob = world.Client(await world.SignInAsync("bob@demo.test"));
        Assert.Equal("primary webmail.demo.test", await bob.GetStringAsync(world.App("/inbox")));

        await world.Primary.StopAsync();

        await Eventually.TrueAsync(() => world.Get<Continuity.Core.Routing.RouteTable>().Resolve("demo", null) == "sovereign", TimeSpan.FromSeconds(10), "tenant failed over");
        Assert.Equal("sovereign webmail.demo.test", await bob.GetStringAsync(world.App("/inbox")));
    }
}
