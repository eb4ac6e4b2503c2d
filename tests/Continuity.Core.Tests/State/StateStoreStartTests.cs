using System.Net;
using System.Net.Sockets;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests.State;

/// <summary>
/// Constructors do no I/O (issue 20, point 6): the store connects, and the embedded store starts, in
/// <see cref="StateStore.StartAsync"/> or on first use; the route snapshot service reads its fail-static copy in its
/// <c>StartAsync</c>. A store that is down still lets both start.
/// </summary>
[Trait("Category", "Server")]
public sealed class StateStoreStartTests
{
    [Fact]
    public async Task Constructor_ExternalStore_OpensNoConnectionUntilStarted()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var dir = new TempDirectory("store-ctor");

        await using var store = new StateStore(Options($"127.0.0.1:{port},connectTimeout=200", dir.Path), NullLoggerFactory.Instance);

        // The old constructor connected here: the kernel would already hold the connection in the listener's backlog.
        Assert.False(listener.Pending(), "the constructor opened a connection to the store");
        Assert.False(store.IsConnected);
        Assert.Equal($"127.0.0.1:{port}", store.Endpoint);

        // Started, it connects (the listener is no Redis server, so it stays "not connected": the node still starts).
        var start = store.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(listener.Pending, TimeSpan.FromSeconds(10), "StartAsync connects to the store");
        await start;
        Assert.False(store.IsConnected);
    }

    [Fact]
    public async Task Constructor_EmbeddedStore_StartsNothingAndWritesNoFile()
    {
        using var dir = new TempDirectory("store-ctor");

        await using (var store = new StateStore(Options(null, dir.Path), NullLoggerFactory.Instance))
        {
            Assert.Equal("embedded", store.Mode);
            Assert.False(store.IsConnected);
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        }

        // Disposing a store that never started starts nothing either.
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    [Trait("Category", "Server")]
    public async Task DisposeAsync_TwiceAfterEmbeddedStart_StopsTheStoreOnce()
    {
        using var dir = new TempDirectory("store-ctor");
        var store = new StateStore(Options(null, dir.Path), NullLoggerFactory.Instance);
        await store.StartAsync(CancellationToken.None);
        Assert.True(store.IsConnected);

        // The host's container disposes it as the store and again as the hosted service it also is: a second dispose
        // of the embedded Garnet crashed the process on a graceful stop.
        await store.DisposeAsync();
        await store.DisposeAsync();
        store.Dispose();
    }

    [Fact]
    public async Task RunAsync_UnreachableStoreAndCancelledToken_OperationCanceledAtOnce()
    {
        using var dir = new TempDirectory("store-ctor");
        await using var store = new StateStore(Options("127.0.0.1:1,connectTimeout=200", dir.Path), NullLoggerFactory.Instance);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RunAsync(db => db.PingAsync(), cancelled.Token));
        Assert.False(store.IsConnected);
    }

    [Fact]
    public async Task SnapshotService_Constructor_ReadsNoDiskAndStartLoadsFailStaticCopyWithStoreDown()
    {
        using var dir = new TempDirectory("snapshot-ctor");
        new RouteSnapshotFile(dir.Path).Write(new RouteSnapshot(7, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new("primary", new Dictionary<string, string> { ["alice@demo.test"] = "sovereign" }),
        }));
        var options = Options("127.0.0.1:1,connectTimeout=200", dir.Path);
        var time = new FakeTimeProvider();
        await using var store = new StateStore(options, NullLoggerFactory.Instance);
        var table = new RouteTable();
        var routes = new RouteStore(store, options, new Continuity.Core.Audit.AuditKey(new byte[32]), time);

        using var service = new RouteSnapshotService(table, routes, store, options, time, NullLogger<RouteSnapshotService>.Instance);

        Assert.False(table.IsLoaded, "the constructor read the disk copy");
        await service.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(7, table.Current.Version);
            Assert.Equal("sovereign", table.Resolve("demo", "alice@demo.test"));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static Microsoft.Extensions.Options.IOptions<Continuity.Core.Configuration.ContinuityOptions> Options(string? redis, string dataDir) =>
        Microsoft.Extensions.Options.Options.Create(CoreHarness.DemoOptions(dataDir, redis, "{s" + Guid.NewGuid().ToString("N")[..12] + "}:"));
}
