using System.Net;
using System.Text.Json;
using Continuity.Testing;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// The shared store goes away (redis-server shut down): nodes keep routing from their snapshots
/// (fail-static), the switch answers 503, a node restarted meanwhile routes from its disk copy,
/// and once the store is back changes flow between the nodes again. This redis-server keeps no
/// data, so it comes back empty — like a store that lost its data.
/// </summary>
[Trait("Category", "Server")]
public sealed class StoreOutageTests(ITestOutputHelper output) : MultiNodeTestBed(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StoreStopped_BothNodes_KeepRoutingFromTheirSnapshot()
    {
        // Arrange
        var (a, b, version) = await StartTwoNodesWithAliceOnSovereignAsync();

        // Act
        Redis.Stop();
        await a.WaitStoreReachableAsync(false, Deadline);
        await b.WaitStoreReachableAsync(false, Deadline);

        // Assert
        foreach (var node in new[] { a, b })
        {
            var routes = await node.RoutesAsync();
            Assert.Equal(version, routes.Version);
            Assert.Equal("sovereign", routes.Resolve(Alice));
            Assert.Equal("primary", routes.Resolve(Bob));
            using var ready = await node.Anonymous.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("fail-static", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True((await node.StatusAsync()).GetProperty("routes").GetProperty("failStatic").GetBoolean());
        }
    }

    [Fact]
    public async Task ChangeRoute_StoreStopped_Answers503WithProblemDetailOnEveryNode()
    {
        // Arrange
        var (a, b, version) = await StartTwoNodesWithAliceOnSovereignAsync();
        Redis.Stop();
        await a.WaitStoreReachableAsync(false, Deadline);
        await b.WaitStoreReachableAsync(false, Deadline);

        foreach (var node in new[] { a, b })
        {
            // Act
            using var response = await node.PostRouteAsync(Bob, "sovereign", "sanctions");

            // Assert
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("unreachable", problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            var routes = await node.RoutesAsync();
            Assert.Equal(version, routes.Version);
            Assert.Equal("primary", routes.Resolve(Bob));
        }
    }

    [Fact]
    public async Task GetRoutes_NodeStartedWithoutStoreOrSnapshot_Answers503ProblemNot500()
    {
        // Arrange: a store address nothing listens on, and a fresh data directory (no fail-static copy).
        await using var node = await GatewayProcess.StartLiveAsync("C", GatewayConfig.Demo($"127.0.0.1:{FreePort.Next()},connectTimeout=500"));

        // Act
        using var response = await node.Admin.GetAsync("admin/api/tenants/demo/routes");

        // Assert
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not loaded the routes yet", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminReads_NodeWithoutStore_Answer503ProblemNot500()
    {
        // Arrange: a store address nothing listens on. Sync state and app passwords live only in the store.
        await using var node = await GatewayProcess.StartLiveAsync("D", GatewayConfig.Demo($"127.0.0.1:{FreePort.Next()},connectTimeout=500"));

        foreach (var path in new[] { "admin/api/tenants/demo/sync", $"admin/api/tenants/demo/users/{Alice}/app-passwords" })
        {
            // Act
            using var response = await node.Admin.GetAsync(path);

            // Assert
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("unreachable", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task NodeKilledAndRestarted_DuringStoreOutage_RoutesFromItsDiskSnapshot()
    {
        // Arrange
        var (_, b, version) = await StartTwoNodesWithAliceOnSovereignAsync();
        Redis.Stop();
        await b.WaitStoreReachableAsync(false, Deadline);

        // Act
        b.Kill();
        await b.RestartAsync();

        // Assert
        Assert.False(await b.StoreReachableAsync());
        var routes = await b.RoutesAsync();
        Assert.Equal(version, routes.Version);
        Assert.Equal("sovereign", routes.Resolve(Alice));
        Assert.Equal("primary", routes.Resolve(Bob));
        using var ready = await b.Anonymous.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task StoreReturns_AfterOutageWithANodeRestarted_ChangesThroughAReachB()
    {
        // Arrange: outage, B restarted from its disk copy meanwhile, then the store returns (empty).
        var (a, b, _) = await StartTwoNodesWithAliceOnSovereignAsync();
        Redis.Stop();
        await a.WaitStoreReachableAsync(false, Deadline);
        await b.RestartAsync();
        Redis.Start();
        await a.WaitSyncedAsync(Deadline);
        await b.WaitSyncedAsync(Deadline); // B, restarted, has now compared its disk copy with the store.

        // Act: a tenant-wide change (the user directory of an emptied store no longer knows alice, see below).
        var version = await a.ChangeRouteAsync(null, "sovereign", "tenant cut off");
        var (_, routes) = await b.WaitForRouteAsync(null, "sovereign", Deadline);

        // Assert
        Assert.Equal(version, routes.Version);
        Assert.Equal("sovereign", routes.Resolve(Carol));
    }

    /// <summary>
    /// A store that lost its data still knows the users the configuration lists: an admin can
    /// fail a configured user over as soon as the store is back, without restarting nodes.
    /// </summary>
    [Fact]
    public async Task ChangeRoute_StoreReturnedEmpty_ConfiguredUserCanBeMovedAgain()
    {
        // Arrange
        var (a, b, _) = await StartTwoNodesWithAliceOnSovereignAsync();
        Redis.Stop();
        await a.WaitStoreReachableAsync(false, Deadline);
        Redis.Start();
        await a.WaitSyncedAsync(Deadline);
        await b.WaitSyncedAsync(Deadline);

        // Act
        using var response = await a.PostRouteAsync(Bob, "sovereign", "sanctions");

        // Assert
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await b.WaitForRouteAsync(Bob, "sovereign", Deadline);
    }

    /// <summary>
    /// The store came back empty and its version counter starts again from 0. A node restarted
    /// during the outage (its disk copy says version 1) must not mistake the new store's version 1
    /// for the one it already has: B's periodic check is slow here, so only the reconnect check or
    /// the pub/sub message can bring the change.
    /// </summary>
    [Fact]
    public async Task StoreReturnedEmpty_RoutesRestoredAndTheNextChangeReachesANodeRestartedDuringTheOutage()
    {
        // Arrange
        var a = await StartNodeAsync("A", Redis.ConnectionString);
        var b = await StartNodeAsync("B", Redis.ConnectionString, o => o.State.RouteRecheckInterval = TimeSpan.FromSeconds(30));
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();
        var before = await a.ChangeRouteAsync(Alice, "sovereign", "sanctions");
        await b.WaitForRouteAsync(Alice, "sovereign", Deadline);
        Redis.Stop();
        await b.WaitStoreReachableAsync(false, Deadline);
        await b.RestartAsync();
        Redis.Start();
        await a.WaitSyncedAsync(Deadline);
        await b.WaitStoreReachableAsync(true, Deadline);
        await RedisCli.WaitForSubscribersAsync(Redis.Port, b.Options.State.KeyPrefix + "routes:changed", 2, Deadline);

        // Act
        var after = await a.ChangeRouteAsync(null, "sovereign", "tenant cut off");
        var (_, routes) = await b.WaitForRouteAsync(null, "sovereign", TimeSpan.FromSeconds(10));

        // Assert: a node wrote its snapshot back (version kept, alice still on sovereign), and the next change follows it.
        Assert.Equal(before + 1, after);
        Assert.Equal(after, routes.Version);
        Assert.Equal("sovereign", routes.Resolve(Alice));
        // Gateway-wide records (not of one tenant) go to the chain of tenant "*".
        var audit = await RedisCli.RunAsync(Redis.Port, "LRANGE", b.Options.State.KeyPrefix + "audit:*:log", "0", "-1");
        Assert.Contains("routes.restored", audit, StringComparison.Ordinal);
    }

    /// <summary>Nodes A and B on <see cref="MultiNodeTestBed.Redis"/>, alice moved to sovereign through A and seen by B (and on B's disk).</summary>
    private async Task<(GatewayProcess A, GatewayProcess B, long Version)> StartTwoNodesWithAliceOnSovereignAsync()
    {
        var a = await StartNodeAsync("A", Redis.ConnectionString);
        var b = await StartNodeAsync("B", Redis.ConnectionString);
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();
        var version = await a.ChangeRouteAsync(Alice, "sovereign", "sanctions");
        await b.WaitForRouteAsync(Alice, "sovereign", Deadline);
        await Eventually.TrueAsync(() => File.Exists(b.SnapshotFile) && File.ReadAllText(b.SnapshotFile).Contains("\"sovereign\"", StringComparison.Ordinal),
            Deadline, "B wrote its fail-static copy");
        return (a, b, version);
    }
}
