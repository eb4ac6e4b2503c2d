using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Continuity.Core.Credentials;
using Continuity.Testing.Identity;

namespace Continuity.Benchmarks;

/// <summary>
/// The gateway's OIDC token endpoint and code flow: one gateway node in this process (Kestrel on 127.0.0.1,
/// the identity tests' world: a real redis-server and two stand-in upstreams). Client credentials and
/// refresh-token requests/s at a fixed concurrency, with latency; the gateway's own time for a full
/// authorization-code flow. Peer for client credentials: <see cref="TokenPeer"/> (secret check + JWT signing only).
/// </summary>
internal static class TokenBenchmark
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string Redirect = IdentityWorld.NativeRedirect;

    public static async Task<int> RunAsync(string[] args)
    {
        if (typeof(TokenBenchmark).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Console.Error.WriteLine("Build the benchmarks in Release: dotnet run -c Release --project tests/Continuity.Benchmarks -- token");
            return 2;
        }

        if (!TryOption(args, "--concurrency", 16, out var concurrency) || !TryOption(args, "--seconds", 10, out var seconds)
            || !TryOption(args, "--warmup", 3, out var warmupSeconds) || !TryOption(args, "--flows", 200, out var flows))
        {
            Console.Error.WriteLine("usage: ... -- token [--concurrency 16] [--seconds 10] [--warmup 3] [--flows 200]");
            return 2;
        }

        var (warmup, duration) = (TimeSpan.FromSeconds(warmupSeconds), TimeSpan.FromSeconds(seconds));
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false);
        await using var peer = await TokenPeer.StartAsync(TestKeys.Signing, IdentityWorld.ServiceClientId,
            SecretHash.Of(IdentityWorld.ServiceSecret), world.Issuer.AbsoluteUri, "https://api.demo.test");
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 1024 };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        Console.Error.WriteLine($"# gateway node {world.Issuer} (in-process, redis-server {world.Redis.ConnectionString}); peer {peer.BaseUri}");
        Console.Error.WriteLine($"# closed loop: {concurrency} concurrent requests, {warmupSeconds} s warm-up, {seconds} s measured; {Environment.ProcessorCount} cores");

        // Client credentials, ours and the peer's, interleaved twice so both see the same load from other processes.
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{IdentityWorld.ServiceClientId}:{IdentityWorld.ServiceSecret}")));
        Func<int, Task<bool>> ClientCredentials(Uri endpoint) => async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api" }),
            };
            request.Headers.Authorization = basic;
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK && body.Contains("\"access_token\"", StringComparison.Ordinal);
        };
        var ours = new List<TokenLoadResult>();
        var theirs = new List<TokenLoadResult>();
        for (var round = 0; round < 2; round++)
        {
            ours.Add(await TokenLoad.RunAsync(concurrency, warmup, duration, ClientCredentials(new Uri(world.Issuer, "connect/token"))));
            theirs.Add(await TokenLoad.RunAsync(concurrency, warmup, duration, ClientCredentials(new Uri(peer.BaseUri, "token"))));
            Console.Error.WriteLine($"# round {round + 1}: gateway {Describe(ours[^1])}; peer {Describe(theirs[^1])}");
        }

        var (best, bestPeer) = (ours.MaxBy(r => r.RequestsPerSecond)!, theirs.MaxBy(r => r.RequestsPerSecond)!);
        Console.WriteLine(new Figure($"token client_credentials, {concurrency} concurrent, best of 2", best.RequestsPerSecond, bestPeer.RequestsPerSecond, "req/s"));
        Console.WriteLine(new Figure("token client_credentials latency p50", best.P50Ms, bestPeer.P50Ms, "ms"));
        Console.WriteLine(new Figure("token client_credentials latency p99", best.P99Ms, bestPeer.P99Ms, "ms"));

        // Code flows: warm-up, then the measured ones (one at a time), alternating two users.
        var flow = new TokenCodeFlow(world.Issuer, [world.Primary, world.Sovereign], handler);
        string[] users = ["alice@demo.test", "bob@demo.test"];
        for (var i = 0; i < 20; i++)
        {
            await flow.RunAsync(users[i % 2], Native, Redirect);
        }

        var timings = new List<TokenFlowTiming>(flows);
        for (var i = 0; i < flows; i++)
        {
            timings.Add(await flow.RunAsync(users[i % 2], Native, Redirect));
        }

        var gateway = timings.Select(t => t.GatewayMs).Order().ToList();
        var upstream = timings.Select(t => t.UpstreamMs).Order().ToList();
        var total = timings.Select(t => t.TotalMs).Order().ToList();
        Console.Error.WriteLine("# code flow hops: authorize → /login → POST /login → upstream authorize → gateway callback (upstream token call inside) → authorize → code → token");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"code flow gateway's own time, {flows} flows, p50|p99: {Percentiles.Of(gateway, 50):0.00} | {Percentiles.Of(gateway, 99):0.00} ms " +
            $"(upstream stand-in: {Percentiles.Of(upstream, 50):0.00} | {Percentiles.Of(upstream, 99):0.00} ms; whole flow as the client saw it: {Percentiles.Of(total, 50):0.00} | {Percentiles.Of(total, 99):0.00} ms)"));

        // Refresh tokens: one chain per worker, each request uses the token the previous one rotated in.
        var chains = new string[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            chains[i] = (await flow.RunAsync(users[i % 2], Native, Redirect)).RefreshToken ?? throw new InvalidOperationException("No refresh token issued.");
        }

        var refresh = await TokenLoad.RunAsync(concurrency, warmup, duration, async worker =>
        {
            using var response = await http.PostAsync(new Uri(world.Issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = chains[worker],
                ["client_id"] = Native,
            })).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            using var json = JsonDocument.Parse(body);
            chains[worker] = json.RootElement.GetProperty("refresh_token").GetString()!;
            return true;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"token refresh_token (rotated each time), {concurrency} concurrent: {refresh.RequestsPerSecond:0} req/s, latency p50|p99: {refresh.P50Ms:0.00} | {refresh.P99Ms:0.00} ms (no peer: absolute)"));
        Console.Error.WriteLine($"# refresh: {Describe(refresh)}");
        return ours.Concat(theirs).Append(refresh).Any(r => r.Failures > 0) ? 1 : 0;
    }

    private static string Describe(TokenLoadResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Requests} requests measured, {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Failures} failed");

    private static bool TryOption(string[] args, string name, int fallback, out int value)
    {
        value = fallback;
        var at = Array.IndexOf(args, name);
        return at < 0 || (at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out value) && value > 0);
    }
}
