using System.Collections.Concurrent;
using System.Diagnostics;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Continuity.Benchmarks;

/// <summary>
/// Route propagation between two nodes sharing one redis-server. Node A is the real gateway
/// process, changed through its admin API; node B is the Core snapshot machinery
/// (StateStore + RouteStore + RouteTable + RouteSnapshotService) in this process, so the moment
/// its table swaps is timestamped on the same clock, without HTTP polling. The peer is a raw
/// PUBLISH → subscriber delivery on the same redis, measured interleaved with our changes.
/// </summary>
internal static class RoutePropagationBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int changes, int warmup, TextWriter log)
    {
        using var redis = new RedisServer();
        var recheck = new Continuity.Core.Configuration.StateOptions().RouteRecheckInterval; // the production default

        var optionsA = GatewayConfig.Demo(redis.ConnectionString);
        optionsA.State.RouteRecheckInterval = recheck;
        await using var nodeA = await GatewayProcess.StartAsync("A", optionsA);
        await nodeA.WaitSyncedAsync();

        using var dataB = new TempDirectory("bench-node-b");
        var optionsB = GatewayConfig.Demo(redis.ConnectionString);
        optionsB.DataDir = dataB.Path;
        optionsB.State.RouteRecheckInterval = recheck;
        var wrappedB = Microsoft.Extensions.Options.Options.Create(optionsB);
        await using var storeB = new StateStore(wrappedB, NullLoggerFactory.Instance);
        var tableB = new RouteTable();
        using var serviceB = new RouteSnapshotService(
            tableB, new RouteStore(storeB, wrappedB, new Continuity.Core.Audit.AuditKey(new byte[32]), TimeProvider.System), storeB, wrappedB, TimeProvider.System, NullLogger<RouteSnapshotService>.Instance);
        var seenByB = new ConcurrentDictionary<long, long>();
        using var swapped = new SemaphoreSlim(0);
        tableB.Changed += (_, next) =>
        {
            seenByB.TryAdd(next.Version, Stopwatch.GetTimestamp());
            swapped.Release();
        };
        await serviceB.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => serviceB.LastVerifiedAt is not null, Timeout, "node B synced with the store");

        await using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var subscriber = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var peerChannel = RedisChannel.Literal("bench:peer");
        TaskCompletionSource<long>? delivery = null;
        await subscriber.GetSubscriber().SubscribeAsync(peerChannel, (_, _) => Volatile.Read(ref delivery)?.TrySetResult(Stopwatch.GetTimestamp()));

        var afterAnswer = new List<double>();
        var fromRequest = new List<double>();
        var peer = new List<double>();
        var alreadyThere = 0;
        log.WriteLine($"# propagation: {warmup} warm-up + {changes} measured changes through node A ({nodeA.BaseAddress}), node B in-process, redis-server on port {redis.Port}, recheck {recheck.TotalSeconds:0.#} s");
        for (var i = 0; i < warmup + changes; i++)
        {
            // Ours: alice flips between the providers; each flip is one applied change.
            var sent = Stopwatch.GetTimestamp();
            var version = await nodeA.ChangeRouteAsync(GatewayConfig.Alice, i % 2 == 0 ? "sovereign" : "primary", "benchmark");
            var answered = Stopwatch.GetTimestamp();
            var seen = await WaitSeenAsync(seenByB, swapped, version);

            // Peer: one raw message, publish sent → subscriber callback.
            var pending = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref delivery, pending);
            var published = Stopwatch.GetTimestamp();
            await publisher.GetSubscriber().PublishAsync(peerChannel, i);
            var delivered = await pending.Task.WaitAsync(Timeout);

            if (i < warmup)
            {
                continue;
            }

            if (seen <= answered)
            {
                alreadyThere++;
            }

            afterAnswer.Add(Math.Max(0, Stopwatch.GetElapsedTime(answered, seen).TotalMilliseconds));
            fromRequest.Add(Stopwatch.GetElapsedTime(sent, seen).TotalMilliseconds);
            peer.Add(Stopwatch.GetElapsedTime(published, delivered).TotalMilliseconds);
        }

        await serviceB.StopAsync(CancellationToken.None);
        afterAnswer.Sort();
        fromRequest.Sort();
        peer.Sort();
        log.WriteLine($"# propagation: node B already had the change when node A's 200 arrived in {alreadyThere} of {changes} changes (counted as 0 ms)");

        var figures = new List<Figure>();
        foreach (var (label, p) in new[] { ("p50", 50.0), ("p99", 99.0), ("max", 100.0) })
        {
            figures.Add(new Figure($"route propagation A→B after A's 200, {label}", Percentiles.Of(afterAnswer, p), Percentiles.Of(peer, p), "ms"));
        }

        foreach (var (label, p) in new[] { ("p50", 50.0), ("p99", 99.0), ("max", 100.0) })
        {
            figures.Add(new Figure($"route switch request on A → B routes by it, {label}", Percentiles.Of(fromRequest, p), Percentiles.Of(peer, p), "ms"));
        }

        return figures;
    }

    /// <summary>When B first held <paramref name="version"/> or a newer one.</summary>
    private static async Task<long> WaitSeenAsync(ConcurrentDictionary<long, long> seen, SemaphoreSlim swapped, long version)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var first = seen.Where(s => s.Key >= version).Select(s => s.Value).DefaultIfEmpty(0).Min();
            if (first != 0)
            {
                return first;
            }

            var left = Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await swapped.WaitAsync(left))
            {
                throw new TimeoutException($"node B did not reach route version {version} within {Timeout.TotalSeconds:0} s");
            }
        }
    }
}
