using System.Diagnostics;

namespace Continuity.Benchmarks;

/// <summary>What a closed-loop run measured: requests per second in the measured window, latency percentiles, failures.</summary>
internal sealed record TokenLoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, int Requests, int Failures);

/// <summary>
/// A closed loop of <c>concurrency</c> workers, each sending its next request when the last one answered,
/// for <c>warmup + duration</c>; only requests that start and end inside the measured window count.
/// A worker whose request fails counts the failure and stops (a refresh chain is broken by it).
/// </summary>
internal static class TokenLoad
{
    /// <param name="send">One request of worker <c>i</c>; true when it succeeded.</param>
    public static async Task<TokenLoadResult> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<bool>> send)
    {
        var started = Stopwatch.GetTimestamp();
        var from = started + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[concurrency];
        var failures = 0;

        async Task WorkerAsync(int worker)
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < until)
            {
                var t0 = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(worker).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                var t1 = Stopwatch.GetTimestamp();
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                    return;
                }

                if (t0 >= from && t1 <= until)
                {
                    mine.Add((t1 - t0) * 1000.0 / Stopwatch.Frequency);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(() => WorkerAsync(i)))).ConfigureAwait(false);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new TokenLoadResult(all.Count / duration.TotalSeconds, Percentiles.Of(all, 50), Percentiles.Of(all, 99), all.Count, failures);
    }
}
