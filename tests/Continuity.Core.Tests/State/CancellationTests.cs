using System.Diagnostics;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Testing;
using StackExchange.Redis;

namespace Continuity.Core.Tests.State;

/// <summary>
/// A cancelled token stops Core's store work (issue 20, point 2) against a real redis-server: a retry loop between two
/// attempts, and a read while the store does not answer.
/// </summary>
[Trait("Category", "Server")]
public sealed class CancellationTests(RedisBackend redis) : IClassFixture<RedisBackend>
{
    [Fact]
    public async Task ChangeAsync_RetryingForeverThenCancelled_OperationCanceledPromptly()
    {
        using var h = new CoreHarness(redis.ConnectionString);
        // A version the read script sees as 1 (Lua numbers become integer replies) and the change script as 1.5: every
        // attempt is refused as "moved", so the change retries up to 200 times, about ten seconds of back-off.
        await h.Store.Database.StringSetAsync(h.Store.Keys.RouteVersion, "1.5");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        // Without the token the loop ran to its end and threw InvalidOperationException ("Routes kept changing").
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops@demo.test", "drill"), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(await h.Audit.TailAsync("demo", 10));
    }

    [Fact]
    public async Task LoadAsync_StoreNotAnsweringThenCancelled_StopsWaitingBeforeTheTimeout()
    {
        using var h = new CoreHarness(redis.ConnectionString);
        await h.SyncTableAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        // The server holds every client's commands for 2.5 s, longer than the client's own 2 s timeout.
        await server.ExecuteAsync("CLIENT", "PAUSE", "2500", "ALL");
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Routes.LoadAsync(cancel.Token));

            // Not the store's timeout (StateUnavailableException after 2 s): the caller's cancellation.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"stopped after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            // CLIENT UNPAUSE would wait for the pause itself: wait for the server to answer again instead.
            await Eventually.TrueAsync(async () => (await server.PingAsync()) < TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), "the pause ends");
        }
    }

    [Fact]
    public async Task StartAsync_ReachableStore_ConnectsOnce()
    {
        using var h = new CoreHarness(redis.ConnectionString);

        await h.Store.StartAsync(CancellationToken.None);
        var again = await h.Store.ConnectAsync();

        Assert.True(h.Store.IsConnected);
        Assert.Same(h.Store.Connection, again);
    }
}
