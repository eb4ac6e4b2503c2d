using Continuity.Core.Routing;
using Continuity.Core.Tests.State;
using Continuity.Testing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Continuity.Core.Tests.Routing;

/// <summary>
/// The snapshot service's fire-and-forget refreshes (pub/sub message, reconnect) end in a logged last-resort catch:
/// a failure nobody awaits is written to the log and the service keeps routing and refreshing.
/// </summary>
[Trait("Category", "Server")]
public sealed class RouteSnapshotFailureTests(RedisBackend redis) : IClassFixture<RedisBackend>
{
    [Fact]
    public async Task Refresh_DamagedVersionInStore_LoggedAndLaterChangesStillApplied()
    {
        using var harness = new CoreHarness(redis.ConnectionString);
        using var logs = new RecentProblems();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var service = new RouteSnapshotService(
            harness.Table, harness.Routes, harness.Store, Microsoft.Extensions.Options.Options.Create(harness.Options),
            harness.Time, loggerFactory.CreateLogger<RouteSnapshotService>());
        await service.StartAsync(CancellationToken.None);
        try
        {
            await harness.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "drill");
            await Eventually.TrueAsync(() => harness.Table.Resolve("demo", "alice@demo.test") == "sovereign", TimeSpan.FromSeconds(10), "the first change reaches the table");

            // A damaged store value (not a number where the version belongs), then a change message: the refresh it
            // starts runs fire-and-forget and throws something no narrower catch expects.
            var db = harness.Store.Connection.GetDatabase();
            await db.StringSetAsync(harness.Store.Keys.RouteVersion, "not-a-number");
            await harness.Store.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(harness.Store.Keys.RouteChannel), "99");
            await Eventually.TrueAsync(() => logs.Describe().Contains("Route refresh failed unexpectedly", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the failure is logged");
            Assert.Equal("sovereign", harness.Table.Resolve("demo", "alice@demo.test"));

            // Repaired: the next change is picked up as before — the failure ended nothing.
            await db.StringSetAsync(harness.Store.Keys.RouteVersion, harness.Table.Current.Version);
            await harness.Failover.RequestAsync(CoreHarness.Ops, "demo", "bob@demo.test", "sovereign", "drill");
            await Eventually.TrueAsync(() => harness.Table.Resolve("demo", "bob@demo.test") == "sovereign", TimeSpan.FromSeconds(10), "a later change still reaches the table");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
