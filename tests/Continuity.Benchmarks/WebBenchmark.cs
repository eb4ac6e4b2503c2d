using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>
/// HTTP proxying under load, in one run against one static backend (nginx serving a small file): wrk directly to the
/// backend, through nginx as a reverse proxy, through YARP alone (<see cref="WebYarpFloor"/>: the framework's floor) and
/// through the gateway with a signed-in user's cookie, with the same wrk settings. Every path is warmed up once, then
/// measured in interleaved rounds (each round measures every path once, the order turned by one each round), so a
/// change of the machine's load during the run falls on every path rather than on whichever came last. Prints each
/// round, the median requests/s and p50/p99 per path, the gateway/nginx ratios of throughput and of added p99 (p99
/// through the proxy minus p99 direct) from those medians, and the same ratios per round. Targets: throughput ratio
/// ≥ 1, added-p99 ratio ≤ 1.
/// </summary>
internal static class WebBenchmark
{
    /// <summary>NAME=VALUE[;NAME=VALUE…]: also measure a second gateway process with those environment variables (a trial of a setting).</summary>
    private const string TrialVariable = "CONTINUITY_BENCH_WEB_TRIAL";

    private const string Usage = "usage: web [--threads 2] [--connections 64] [--seconds 15] [--warmup 20] [--bytes 512] [--rounds 3]";

    private sealed record Target(string Name, string Url, string[] Headers, Action EnsureRunning);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var settings))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var (threads, connections, seconds, warmup, bytes, rounds) = settings;
        var log = Console.Error;
        var cores = Environment.ProcessorCount;
        try
        {
            await using var backend = await WebNginx.StartBackendAsync(bytes, workers: 1).ConfigureAwait(false);
            await using var nginx = await WebNginx.StartProxyAsync(backend.Port, workers: cores).ConfigureAwait(false);
            await using var gateway = await WebGateway.StartAsync(backend.Url).ConfigureAwait(false);
            await using var yarp = await WebYarpFloor.StartAsync(backend.Url).ConfigureAwait(false);
            var trial = Environment.GetEnvironmentVariable(TrialVariable) is { Length: > 0 } t ? t : null;
            // A trial of one runtime or logging setting: a second gateway process with those variables, in the same rounds.
            await using var other = trial is null ? null : await WebGateway.StartAsync(backend.Url, trial).ConfigureAwait(false);
            var cookie = await gateway.SignInAsync("alice@demo.test").ConfigureAwait(false);
            // The same headers everywhere, so every path reads and forwards the same request.
            string[] headers = [$"Host: {WebGateway.AppHost}", $"Cookie: {cookie}"];
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# web: GET {WebNginx.PagePath} ({bytes} bytes) with a {cookie.Length}-character session cookie; wrk -t{threads} -c{connections} -d{seconds}s --latency, a {warmup}s warm-up per path, then {rounds} interleaved rounds; nginx proxy worker_processes {cores}, the gateway executable as its own process (pid {gateway.ProcessId}, its own runtimeconfig), {cores} cores"));

            var targets = new List<Target>
            {
                new("direct", backend.Url + WebNginx.PagePath, headers, () => { }),
                new("nginx", nginx.Url + WebNginx.PagePath, headers, () => { }),
                new("bare YARP", $"http://127.0.0.1:{yarp.Port}{WebNginx.PagePath}", headers, yarp.EnsureRunning),
                new("gateway", $"http://127.0.0.1:{gateway.Port}{WebNginx.PagePath}", headers, gateway.EnsureRunning),
            };
            if (other is not null)
            {
                var otherCookie = await other.SignInAsync("alice@demo.test").ConfigureAwait(false);
                targets.Add(new($"gateway with {trial}", $"http://127.0.0.1:{other.Port}{WebNginx.PagePath}", [$"Host: {WebGateway.AppHost}", $"Cookie: {otherCookie}"], other.EnsureRunning));
            }

            foreach (var target in targets)
            {
                log.WriteLine($"# {target.Name}: warm-up");
                await WebWrk.RunAsync(target.Url, target.Headers, threads, connections, TimeSpan.FromSeconds(warmup), TextWriter.Null).ConfigureAwait(false);
            }

            var results = targets.ToDictionary(target => target.Name, _ => new List<WebWrkResult>());
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    var target = targets[(i + round) % targets.Count];
                    log.WriteLine($"# round {round + 1}, {target.Name}: {target.Url}");
                    var result = await WebWrk.RunAsync(target.Url, target.Headers, threads, connections, TimeSpan.FromSeconds(seconds), log).ConfigureAwait(false);
                    if (result.Non2xx > 0 || result.SocketErrors > 0)
                    {
                        throw new InvalidOperationException($"{target.Name}: {result.Non2xx} non-2xx answers and {result.SocketErrors} socket errors: the figures would mean nothing");
                    }

                    target.EnsureRunning();
                    results[target.Name].Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"web round {round + 1} {target.Name}: {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
                }
            }

            log.WriteLine($"# gateway: {gateway.OutputLines} lines of output; the first ones:");
            foreach (var line in gateway.Output.Split('\n').Take(12))
            {
                log.WriteLine("#   " + line.TrimEnd());
            }

            var medians = results.ToDictionary(r => r.Key, r => new WebWrkResult(
                Median(r.Value.Select(x => x.RequestsPerSecond)), Median(r.Value.Select(x => x.P50Ms)), Median(r.Value.Select(x => x.P99Ms)), 0, 0));
            foreach (var target in targets)
            {
                var m = medians[target.Name];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"web {target.Name}, median of {rounds}: {m.RequestsPerSecond:0} req/s, p50 {m.P50Ms:0.000} ms, p99 {m.P99Ms:0.000} ms"));
            }

            var (direct, peer, ours, floor) = (medians["direct"], medians["nginx"], medians["gateway"], medians["bare YARP"]);
            if (trial is not null)
            {
                Console.WriteLine(new Figure($"web throughput gateway with {trial} vs gateway", medians[$"gateway with {trial}"].RequestsPerSecond, ours.RequestsPerSecond, "req/s"));
                PerRound($"web throughput gateway with {trial} vs gateway", results[$"gateway with {trial}"], results["gateway"], r => r.RequestsPerSecond);
            }

            // What the framework alone reaches, and what the gateway's own work (session, route, assertion) costs on top.
            Console.WriteLine(new Figure("web throughput bare YARP vs nginx proxy", floor.RequestsPerSecond, peer.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web throughput gateway vs bare YARP", ours.RequestsPerSecond, floor.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web throughput gateway vs nginx proxy", ours.RequestsPerSecond, peer.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web p50 gateway vs nginx proxy", ours.P50Ms, peer.P50Ms, "ms"));
            Console.WriteLine(new Figure("web added p99 over direct, gateway vs nginx proxy", ours.P99Ms - direct.P99Ms, peer.P99Ms - direct.P99Ms, "ms"));
            PerRound("web throughput bare YARP vs nginx proxy", results["bare YARP"], results["nginx"], r => r.RequestsPerSecond);
            PerRound("web throughput gateway vs nginx proxy", results["gateway"], results["nginx"], r => r.RequestsPerSecond);
            return 0;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("apt-get install", StringComparison.Ordinal))
        {
            log.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>The ratio within each round (both measured minutes apart at most), so the spread between rounds shows.</summary>
    private static void PerRound(string name, List<WebWrkResult> ours, List<WebWrkResult> peer, Func<WebWrkResult, double> value) =>
        Console.WriteLine($"{name}, per round: " + string.Join(" ", ours.Zip(peer, (o, p) => (value(o) / value(p)).ToString("0.00", CultureInfo.InvariantCulture))));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static bool TryParse(string[] args, out (int Threads, int Connections, int Seconds, int Warmup, int Bytes, int Rounds) settings)
    {
        // 20 s of warm-up: on two cores shared with wrk and the backend, .NET's tiered JIT is still compiling the hot paths
        // after 5 s (libclrjit.so was 8 % of the gateway's CPU samples 2 s into the measured window after a 5 s warm-up,
        // 0.4 % after 30 s); a long-running proxy is measured in its steady state, not while it is still compiling.
        var (threads, connections, seconds, warmup, bytes, rounds) = (2, 64, 15, 20, 512, 3);
        settings = default;
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return false;
            }

            switch (args[i])
            {
                case "--threads": threads = value; break;
                case "--connections": connections = value; break;
                case "--seconds": seconds = value; break;
                case "--warmup": warmup = value; break;
                case "--bytes": bytes = value; break;
                case "--rounds": rounds = value; break;
                default: return false;
            }
        }

        settings = (threads, connections, seconds, warmup, bytes, rounds);
        return true;
    }
}
