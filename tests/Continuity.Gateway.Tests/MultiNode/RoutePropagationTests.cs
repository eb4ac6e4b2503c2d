using Continuity.Testing;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// Two gateway processes sharing one real redis-server: a route change made through node A is
/// used by node B for its next lookup — by pub/sub at once, and by the periodic version check or
/// the reconnect check when the pub/sub message is lost.
/// </summary>
[Trait("Category", "Server")]
public sealed class RoutePropagationTests(ITestOutputHelper output) : MultiNodeTestBed(output)
{
    /// <summary>Longer than any wait below: only pub/sub (or a reconnect) can deliver a change in time.</summary>
    private static readonly TimeSpan SlowRecheck = TimeSpan.FromSeconds(30);

    /// <summary>Pub/sub normally delivers in milliseconds; this leaves room for a loaded shared machine.</summary>
    private static readonly TimeSpan PubSubDeadline = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(Alice)]
    [InlineData(null)]
    public async Task ChangeRoute_ThroughNodeA_NodeBUsesItWithoutWaitingForTheRecheck(string? user)
    {
        // Arrange
        var a = await StartNodeAsync("A", Redis.ConnectionString, o => o.State.RouteRecheckInterval = SlowRecheck);
        var b = await StartNodeAsync("B", Redis.ConnectionString, o => o.State.RouteRecheckInterval = SlowRecheck);
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();
        Assert.Equal("primary", (await b.RoutesAsync()).Resolve(user));

        // Act
        var version = await a.ChangeRouteAsync(user, "sovereign", "sanctions: provider closed the mailbox");
        var (elapsed, routes) = await b.WaitForRouteAsync(user, "sovereign", PubSubDeadline);

        // Assert
        Assert.Equal(version, routes.Version);
        Assert.True(elapsed < SlowRecheck, $"B took {elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("sovereign", (await a.RoutesAsync()).Resolve(user));
        Assert.Equal(user is null ? "sovereign" : "primary", routes.Resolve(Bob));
    }

    [Fact]
    public async Task ChangeRoute_PubSubMessageLostOnTheWayToNodeB_NodeBCatchesUpByItsPeriodicCheck()
    {
        // Arrange: B reaches the store through a relay that will swallow what is published to it,
        // without closing the connection (so no reconnect check helps; only the periodic one can).
        var relay = StartStoreProxy();
        var a = await StartNodeAsync("A", Redis.ConnectionString);
        var b = await StartNodeAsync("B", relay.ConnectionString, o => o.State.RouteRecheckInterval = TimeSpan.FromMilliseconds(500));
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();
        var subscriptions = relay.SubscriptionConnections;
        Assert.True(subscriptions >= 1, "B's subscription connection goes through the relay");
        relay.DropPubSubMessages();

        // Act
        var version = await a.ChangeRouteAsync(Alice, "sovereign", "sanctions");
        var (_, routes) = await b.WaitForRouteAsync(Alice, "sovereign", TimeSpan.FromSeconds(15));

        // Assert
        Assert.Equal(version, routes.Version);
        await Eventually.TrueAsync(() => relay.DroppedBytes > 0, TimeSpan.FromSeconds(5), "the route message to B was dropped");
        Assert.Equal(subscriptions, relay.SubscriptionConnections);
    }

    [Fact]
    public async Task ChangeRoute_NodeBSubscriptionKilled_NodeBCatchesUpAndHearsLaterChanges()
    {
        // Arrange: the periodic check is too slow to matter; what follows must come from the
        // reconnect check and the renewed subscription.
        var a = await StartNodeAsync("A", Redis.ConnectionString, o => o.State.RouteRecheckInterval = SlowRecheck);
        var b = await StartNodeAsync("B", Redis.ConnectionString, o => o.State.RouteRecheckInterval = SlowRecheck);
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();

        // Act: the store drops every subscriber connection, and a change is made at that moment.
        var killed = await RedisCli.RunAsync(Redis.Port, "CLIENT", "KILL", "TYPE", "pubsub");
        var first = await a.ChangeRouteAsync(Alice, "sovereign", "sanctions");
        var (_, afterReconnect) = await b.WaitForRouteAsync(Alice, "sovereign", TimeSpan.FromSeconds(15));
        await RedisCli.WaitForSubscribersAsync(Redis.Port, b.Options.State.KeyPrefix + "routes:changed", 2, TimeSpan.FromSeconds(15));
        var second = await a.ChangeRouteAsync(Bob, "sovereign", "sanctions");
        var (_, afterResubscribe) = await b.WaitForRouteAsync(Bob, "sovereign", PubSubDeadline);

        // Assert
        Assert.True(int.Parse(killed, System.Globalization.CultureInfo.InvariantCulture) >= 2, $"CLIENT KILL TYPE pubsub closed {killed} connection(s)");
        Assert.True(afterReconnect.Version >= first);
        Assert.Equal(second, afterResubscribe.Version);
    }
}
