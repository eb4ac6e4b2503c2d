using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Continuity.Core.Credentials;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// IMAP session cost through the gateway's proxy against its peers, in one run, against one real Dovecot (started
/// here, master user <c>gateway</c>): (a) direct to Dovecot, (b) nginx's mail proxy (<see cref="ImapSessionNginx"/>,
/// its own processes), (c) the gateway's IMAP proxy (<see cref="ImapSessionGateway"/>: the real gateway executable as
/// its own process). The client is this process, the same raw-socket code for all three
/// (<see cref="ImapSessionClient"/>), plain text on loopback for all three.
/// <list type="bullet">
/// <item>Set-up: connect, greeting, LOGIN, NOOP, LOGOUT, one session after the other; the paths take turns within
/// each round (rotating who goes first) so a burst of load from elsewhere hits all of them alike. The gateway is
/// measured with an app password hashed at the default (PBKDF2-SHA256, 600 000 iterations) — after the warm-up that
/// is the gateway's verified-password cache hit, the steady state of a mail client that reconnects — and with one at
/// the lowest count the store accepts (the KDF taken out). The cold first login of a fresh default password (a
/// cache miss: the KDF runs) and the KDF alone are timed too.</item>
/// <item>NOOP round trip: one logged-in session per path, NOOPs in blocks of 50 taking turns. Two more paths show
/// where the rest of the time goes: a second gateway process with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>
/// (not the default; see <see cref="ImapSessionGateway"/>), and, with <c>--relay</c>, a minimal C relay
/// (<see cref="ImapSessionRelay"/>), the cost of the extra hop alone.</item>
/// </list>
/// Figures go to stdout, context to stderr with '#'.
/// </summary>
internal static class ImapSessionBenchmark
{
    private const string User = "alice@demo.test";
    private const int SetupWarmup = 20;
    private const int NoopWarmup = 200;
    private const int NoopBlock = 50;
    private const int KdfSamples = 15;
    private const int ColdSamples = 20;
    private const int MinSessions = 300;
    private const int MinNoops = 2000;

    private const string Usage = """
        usage: imap [--sessions N] [--noops N] [--relay PATH]
          --sessions  measured session set-ups per path (default and least 300)
          --noops     measured NOOP round trips per path (default and least 2000)
          --relay     a compiled ImapSessionRelay.c: its NOOP figure is the extra user-space hop alone
        Needs dovecot-imapd, nginx, libnginx-mod-mail, redis-server; run through imap-vs-nginx.sh.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var sessions, out var noops, out var relay))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (typeof(ImapSessionBenchmark).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Console.Error.WriteLine("Build the benchmarks in Release (dotnet run -c Release …): the numbers would mean nothing.");
            return 2;
        }

        try
        {
            foreach (var figure in await MeasureAsync(sessions, noops, relay, Console.Error).ConfigureAwait(false))
            {
                Console.WriteLine(figure);
            }

            return 0;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("apt-get install", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static async Task<List<Figure>> MeasureAsync(int sessions, int noops, string? relayBinary, TextWriter log)
    {
        using var redis = new RedisServer();
        using var dovecot = DovecotServer.Start("imap-bench", User);
        await using var nginx = await ImapSessionNginx.StartAsync(dovecot.ImapPort, User, DovecotServer.UserPassword).ConfigureAwait(false);
        await using var gateway = await ImapSessionGateway.StartAsync(redis.ConnectionString, dovecot).ConfigureAwait(false);
        await using var inline = await ImapSessionGateway.StartAsync(redis.ConnectionString, dovecot, inlineCompletions: true).ConfigureAwait(false);
        using var relay = relayBinary is null ? null : await ImapSessionRelay.StartAsync(relayBinary, dovecot.ImapPort).ConfigureAwait(false);
        var slowPassword = await gateway.NewPasswordAsync(User).ConfigureAwait(false);
        var fastPassword = await gateway.NewPasswordAsync(User, ImapSessionGateway.MinimumIterations).ConfigureAwait(false);
        var coldPasswords = new List<string>(ColdSamples);
        for (var i = 0; i < ColdSamples; i++)
        {
            coldPasswords.Add(await gateway.NewPasswordAsync(User).ConfigureAwait(false));
        }

        var iterations = gateway.DefaultIterations;
        log.WriteLine($"# dovecot imap 127.0.0.1:{dovecot.ImapPort}; nginx mail proxy 127.0.0.1:{nginx.Port} (own processes; auth_http answered in this process by a string compare, then master login); gateway imap 127.0.0.1:{gateway.Port} (own process, pid {gateway.ProcessId}, redis {redis.ConnectionString}); client: this process, pid {Environment.ProcessId}");
        log.WriteLine($"# {Environment.ProcessorCount} cores; set-up = connect + greeting + LOGIN + NOOP + LOGOUT, {sessions} per path after {SetupWarmup} warm-up; NOOP: {noops} per path after {NoopWarmup} warm-up; gateway verified-password cache {gateway.CacheDuration.TotalMinutes:0} min (the default)");

        var paths = new (string Name, int Port, string Password)[]
        {
            ("direct", dovecot.ImapPort, DovecotServer.UserPassword),
            ("nginx", nginx.Port, DovecotServer.UserPassword),
            ("gateway", gateway.Port, slowPassword),
            ("gateway-kdf-min", gateway.Port, fastPassword),
        };
        var setup = paths.ToDictionary(p => p.Name, _ => new List<double>(sessions));
        for (var round = -SetupWarmup; round < sessions; round++)
        {
            for (var i = 0; i < paths.Length; i++)
            {
                var path = paths[(i + Math.Max(round, 0)) % paths.Length];
                var elapsed = await SessionAsync(path.Port, path.Password).ConfigureAwait(false);
                if (round >= 0)
                {
                    setup[path.Name].Add(elapsed);
                }
            }
        }

        var cold = new List<double>(ColdSamples);
        foreach (var password in coldPasswords)
        {
            cold.Add(await SessionAsync(gateway.Port, password).ConfigureAwait(false));
        }

        cold.Sort();
        var kdf = KdfMilliseconds(iterations);
        (string Name, int Port, string Password)[] noopPaths =
        [
            .. paths[..3],
            ("gateway-inline", inline.Port, slowPassword),
            .. relay is null ? [] : new[] { ("relay", relay.Port, DovecotServer.UserPassword) },
        ];
        log.WriteLine($"# NOOP also via gateway-inline (a second gateway process, pid {inline.ProcessId}, {ImapSessionGateway.InlineCompletions}=1){(relay is null ? "; no --relay given: no relay figure" : $" and via the C relay 127.0.0.1:{relay.Port}")}");
        var noop = await NoopsAsync(noopPaths, noops).ConfigureAwait(false);
        gateway.EnsureRunning();
        inline.EnsureRunning();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# set-up gateway, first login of a fresh password (cache miss, KDF runs; {ColdSamples} passwords): p50 {Percentiles.Of(cold, 50):0.000} ms, max {cold[^1]:0.000} ms"));
        foreach (var (name, samples) in setup)
        {
            samples.Sort();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# set-up {name}: p50 {Percentiles.Of(samples, 50):0.000} ms, p90 {Percentiles.Of(samples, 90):0.000} ms, p99 {Percentiles.Of(samples, 99):0.000} ms, max {samples[^1]:0.000} ms"));
        }

        foreach (var (name, samples) in noop)
        {
            samples.Sort();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# NOOP {name}: p50 {Percentiles.Of(samples, 50):0.0} µs, p99 {Percentiles.Of(samples, 99):0.0} µs"));
        }

        var it = iterations.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');
        var min = ImapSessionGateway.MinimumIterations.ToString(CultureInfo.InvariantCulture);
        double P(string name, double p) => Percentiles.Of(setup[name], p);
        double N(string name) => Percentiles.Of(noop[name], 50);
        List<Figure> figures =
        [
            new($"imap session set-up via gateway (app password PBKDF2 {it} iterations, the default; warm: verified-password cache hit), median", P("gateway", 50), P("nginx", 50), "ms"),
            new($"imap session set-up via gateway (app password PBKDF2 {it} iterations, the default; warm: verified-password cache hit), p99", P("gateway", 99), P("nginx", 99), "ms"),
            new($"imap session set-up via gateway, cold: first login of a fresh password (cache miss, KDF runs), median of {ColdSamples}", Percentiles.Of(cold, 50), P("nginx", 50), "ms"),
            new($"imap session set-up via gateway (KDF taken out: app password at {min} iteration), median", P("gateway-kdf-min", 50), P("nginx", 50), "ms"),
            new($"imap session set-up via gateway (KDF taken out: app password at {min} iteration), p99", P("gateway-kdf-min", 99), P("nginx", 99), "ms"),
            new("imap session set-up direct to Dovecot (reference for the peer), median", P("direct", 50), P("nginx", 50), "ms"),
            new("imap session set-up direct to Dovecot (reference for the peer), p99", P("direct", 99), P("nginx", 99), "ms"),
            new($"app password check alone (PBKDF2-SHA256 {it} iterations, one hash, median of {KdfSamples}) vs gateway cold set-up median", kdf, Percentiles.Of(cold, 50), "ms"),
            new("imap NOOP round trip after login via gateway, median", Percentiles.Of(noop["gateway"], 50), Percentiles.Of(noop["direct"], 50), "µs"),
            new("imap NOOP round trip after login via nginx, median", N("nginx"), N("direct"), "µs"),
            new("imap NOOP round trip after login via gateway vs via nginx, median", N("gateway"), N("nginx"), "µs"),
            new($"imap NOOP round trip after login via gateway with {ImapSessionGateway.InlineCompletions}=1 (not the default), median", N("gateway-inline"), N("direct"), "µs"),
        ];
        if (relay is not null)
        {
            figures.Add(new("imap NOOP round trip after login via a minimal C relay (no logic: the extra user-space hop alone), median", N("relay"), N("direct"), "µs"));
        }

        return figures;
    }

    /// <summary>One session, timed from before the connect to the tagged OK of LOGOUT, in milliseconds.</summary>
    private static async Task<double> SessionAsync(int port, string password)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var started = Stopwatch.GetTimestamp();
        await using var client = await ImapSessionClient.ConnectAsync(port, timeout.Token).ConfigureAwait(false);
        await client.LoginAsync(User, password, timeout.Token).ConfigureAwait(false);
        await client.NoopAsync(timeout.Token).ConfigureAwait(false);
        await client.LogoutAsync(timeout.Token).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<Dictionary<string, List<double>>> NoopsAsync((string Name, int Port, string Password)[] paths, int noops)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clients = new List<ImapSessionClient>();
        try
        {
            foreach (var path in paths)
            {
                var client = await ImapSessionClient.ConnectAsync(path.Port, timeout.Token).ConfigureAwait(false);
                clients.Add(client);
                await client.LoginAsync(User, path.Password, timeout.Token).ConfigureAwait(false);
            }

            var samples = paths.ToDictionary(p => p.Name, _ => new List<double>(noops));
            for (var done = -NoopWarmup; done < noops; done += NoopBlock)
            {
                for (var i = 0; i < paths.Length; i++)
                {
                    var at = (i + (done / NoopBlock)) % paths.Length;
                    at = at < 0 ? at + paths.Length : at;
                    for (var n = 0; n < NoopBlock && done + n < noops; n++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await clients[at].NoopAsync(timeout.Token).ConfigureAwait(false);
                        if (done + n >= 0)
                        {
                            samples[paths[at].Name].Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                        }
                    }
                }
            }

            foreach (var client in clients)
            {
                await client.LogoutAsync(timeout.Token).ConfigureAwait(false);
            }

            return samples;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The gateway's password hash alone, as a login computes it: median milliseconds of <see cref="KdfSamples"/>.</summary>
    private static double KdfMilliseconds(int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var secret = AppPasswordFormat.Generate();
        var samples = new List<double>(KdfSamples);
        for (var i = 0; i < KdfSamples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _ = AppPasswordFormat.Hash(secret, salt, iterations);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        samples.Sort();
        return Percentiles.Of(samples, 50);
    }

    private static bool TryParse(string[] args, out int sessions, out int noops, out string? relay)
    {
        (sessions, noops, relay) = (MinSessions, MinNoops, null);
        for (var i = args.Length > 0 && args[0] == "imap" ? 1 : 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return false;
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--sessions" when int.TryParse(value, CultureInfo.InvariantCulture, out var n): sessions = n; break;
                case "--noops" when int.TryParse(value, CultureInfo.InvariantCulture, out var n): noops = n; break;
                case "--relay" when File.Exists(value): relay = Path.GetFullPath(value); break;
                case "--relay":
                    Console.Error.WriteLine($"--relay: no such file: {value}");
                    return false;
                default: return false;
            }
        }

        if (sessions < MinSessions || noops < MinNoops)
        {
            Console.Error.WriteLine($"--sessions must be at least {MinSessions} and --noops at least {MinNoops}: fewer samples make the p99 and the medians too noisy to compare (got {sessions} and {noops}).");
            return false;
        }

        return true;
    }
}
