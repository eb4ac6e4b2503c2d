using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>
/// HTTP proxying under load, in one run against one static backend (nginx serving a small file): wrk directly to the
/// backend, through nginx as a reverse proxy, through YARP alone (<see cref="WebYarpFloor"/>: the framework's floor) and
/// through the gateway with a signed-in user's cookie, with the same wrk settings after a warm-up each. Prints requests/s and p50/p99 for each and the gateway/nginx ratios of
/// throughput and of added p99 (p99 through the proxy minus p99 direct). Targets: throughput ratio ≥ 1, added-p99
/// ratio ≤ 1.
/// </summary>
internal static class WebBenchmark
{
    /// <summary>NAME=VALUE[;NAME=VALUE…]: also measure a second gateway process with those environment variables (a trial of a setting).</summary>
    private const string TrialVariable = "CONTINUITY_BENCH_WEB_TRIAL";

    private const string Usage = "usage: web [--threads 2] [--connections 64] [--seconds 15] [--warmup 20] [--bytes 512]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var threads, out var connections, out var seconds, out var warmup, out var bytes))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var log = Console.Error;
        var cores = Environment.ProcessorCount;
        try
        {
            await using var backend = await WebNginx.StartBackendAsync(bytes, workers: 1).ConfigureAwait(false);
            await using var nginx = await WebNginx.StartProxyAsync(backend.Port, workers: cores).ConfigureAwait(false);
            await using var gateway = await WebGateway.StartAsync(backend.Url).ConfigureAwait(false);
            await using var yarp = await WebYarpFloor.StartAsync(backend.Url).ConfigureAwait(false);
            var cookie = await gateway.SignInAsync("alice@demo.test").ConfigureAwait(false);
            // The same headers everywhere, so every path reads and forwards the same request.
            string[] headers = [$"Host: {WebGateway.AppHost}", $"Cookie: {cookie}"];
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# web: GET {WebNginx.PagePath} ({bytes} bytes) with a {cookie.Length}-character session cookie; wrk -t{threads} -c{connections} -d{seconds}s --latency after a {warmup}s warm-up each; nginx proxy worker_processes {cores}, the gateway executable as its own process (pid {gateway.ProcessId}, its own runtimeconfig), {cores} cores"));

            var targets = new (string Name, string Url)[]
            {
                ("direct", backend.Url + WebNginx.PagePath),
                ("nginx", nginx.Url + WebNginx.PagePath),
                ("bare YARP", $"http://127.0.0.1:{yarp.Port}{WebNginx.PagePath}"),
                ("gateway", $"http://127.0.0.1:{gateway.Port}{WebNginx.PagePath}"),
            };
            var results = new Dictionary<string, WebWrkResult>();
            foreach (var (name, url) in targets)
            {
                log.WriteLine($"# {name}: warm-up");
                await WebWrk.RunAsync(url, headers, threads, connections, TimeSpan.FromSeconds(warmup), TextWriter.Null).ConfigureAwait(false);
                log.WriteLine($"# {name}: {url}");
                var result = await WebWrk.RunAsync(url, headers, threads, connections, TimeSpan.FromSeconds(seconds), log).ConfigureAwait(false);
                if (result.Non2xx > 0 || result.SocketErrors > 0)
                {
                    throw new InvalidOperationException($"{name}: {result.Non2xx} non-2xx answers and {result.SocketErrors} socket errors: the figures would mean nothing");
                }

                if (name == "gateway")
                {
                    gateway.EnsureRunning();
                    log.WriteLine($"# gateway: {gateway.OutputLines} lines of output so far; the first ones:");
                    foreach (var line in gateway.Output.Split('\n').Take(12))
                    {
                        log.WriteLine("#   " + line.TrimEnd());
                    }
                }

                if (name == "bare YARP")
                {
                    yarp.EnsureRunning();
                }

                results[name] = result;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"web {name}: {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
            }

            var (direct, peer, ours) = (results["direct"], results["nginx"], results["gateway"]);
            if (Environment.GetEnvironmentVariable(TrialVariable) is { Length: > 0 } trial)
            {
                // A trial of one runtime or logging setting: a second gateway process with that variable, same run.
                await using var other = await WebGateway.StartAsync(backend.Url, trial).ConfigureAwait(false);
                var otherCookie = await other.SignInAsync("alice@demo.test").ConfigureAwait(false);
                string[] otherHeaders = [$"Host: {WebGateway.AppHost}", $"Cookie: {otherCookie}"];
                var url = $"http://127.0.0.1:{other.Port}{WebNginx.PagePath}";
                log.WriteLine($"# gateway with {trial}: warm-up");
                await WebWrk.RunAsync(url, otherHeaders, threads, connections, TimeSpan.FromSeconds(warmup), TextWriter.Null).ConfigureAwait(false);
                var result = await WebWrk.RunAsync(url, otherHeaders, threads, connections, TimeSpan.FromSeconds(seconds), log).ConfigureAwait(false);
                other.EnsureRunning();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"web gateway with {trial}: {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms"));
                Console.WriteLine(new Figure($"web throughput gateway with {trial} vs gateway", result.RequestsPerSecond, ours.RequestsPerSecond, "req/s"));
            }

            var floor = results["bare YARP"];
            // What the framework alone reaches, and what the gateway's own work (session, route, assertion) costs on top.
            Console.WriteLine(new Figure("web throughput bare YARP vs nginx proxy", floor.RequestsPerSecond, peer.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web throughput gateway vs bare YARP", ours.RequestsPerSecond, floor.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web throughput gateway vs nginx proxy", ours.RequestsPerSecond, peer.RequestsPerSecond, "req/s"));
            Console.WriteLine(new Figure("web p50 gateway vs nginx proxy", ours.P50Ms, peer.P50Ms, "ms"));
            Console.WriteLine(new Figure("web added p99 over direct, gateway vs nginx proxy", ours.P99Ms - direct.P99Ms, peer.P99Ms - direct.P99Ms, "ms"));
            return 0;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("apt-get install", StringComparison.Ordinal))
        {
            log.WriteLine(ex.Message);
            return 1;
        }
    }

    private static bool TryParse(string[] args, out int threads, out int connections, out int seconds, out int warmup, out int bytes)
    {
        // 20 s of warm-up: on two cores shared with wrk and the backend, .NET's tiered JIT is still compiling the hot paths
        // after 5 s (libclrjit.so was 8 % of the gateway's CPU samples 2 s into the measured window after a 5 s warm-up,
        // 0.4 % after 30 s); a long-running proxy is measured in its steady state, not while it is still compiling.
        (threads, connections, seconds, warmup, bytes) = (2, 64, 15, 20, 512);
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
                default: return false;
            }
        }

        return true;
    }
}
