using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Continuity.Core.Configuration;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// MX throughput for 10 KB messages, driven by Postfix's <c>smtp-source</c>, against (a) the gateway's MX — the real
/// gateway process, which fsyncs each message into its spool (file, rename, directory) before the 250 — and (b) a
/// local Postfix that queues durably (cleanup fsyncs the queue file before smtpd's 250; <c>defer_transports = local</c>
/// keeps it queued), in the same run, alternating which goes first in each round. The gateway's inbound backend is a
/// closed port: each spooled message gets one delivery attempt, refused at once, and its retry is 300 s away, outside
/// the run; Postfix's one attempt per message is its deferred transport. After the runs both queues are counted:
/// every message must be queued. Figures: the median of the rounds; each round goes to stderr.
/// </summary>
internal static class MxThroughputBenchmark
{
    private const int Warmup = 1000; // past tiered JIT and Postfix spawning its smtpd and cleanup processes

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = MxThroughputArguments.Parse(args);
        if (arguments is null)
        {
            Console.Error.WriteLine(MxThroughputArguments.Usage);
            return 2;
        }

        if (typeof(MxThroughputBenchmark).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Console.Error.WriteLine("Build the benchmarks in Release (dotnet run -c Release …): the numbers would mean nothing.");
            return 2;
        }

        string smtpSource;
        try
        {
            smtpSource = RequiredProgram.Find("smtp-source", "postfix");
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        var figure = await MeasureAsync(arguments, smtpSource, Console.Error).ConfigureAwait(false);
        Console.WriteLine(figure);
        return 0;
    }

    private static async Task<Figure> MeasureAsync(MxThroughputArguments a, string smtpSource, TextWriter log)
    {
        var options = GatewayConfig.Demo(redis: null);
        var smtpPort = FreePort.Next();
        var closedBackend = $"lmtp://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        options.Listeners.Smtp = smtpPort;
        options.Tenants[GatewayConfig.Tenant].Providers["primary"].Mail = new ProviderMailOptions { Inbound = closedBackend };
        // smtp-source opens all its sessions from 127.0.0.1, more than the MX's per-address cap (10 by default); Postfix
        // exempts $mynetworks (loopback included) from its smtpd_client_connection_count_limit, so the cap is off here too.
        // The child inherits this process's environment.
        Environment.SetEnvironmentVariable("Continuity__Mail__Limits__MaxConnectionsPerAddress", "0");
        await using var gateway = await GatewayProcess.StartAsync("mx", options).ConfigureAwait(false);
        var mx = $"127.0.0.1:{smtpPort.ToString(CultureInfo.InvariantCulture)}";
        log.WriteLine($"# gateway MX {mx} (process, spool in {gateway.DataDir}/spool, backend {closedBackend} refuses: deliveries fail fast, retried after 300 s); postfix {a.Postfix}");
        log.WriteLine($"# smtp-source -s {a.Sessions} -m {a.Messages} -l {a.Size}, one session per message; {Warmup} warm-up messages each; {a.Rounds} rounds");

        await MxThroughputSmtpSource.RunAsync(smtpSource, mx, Warmup, a.Sessions, a.Size).ConfigureAwait(false);
        await MxThroughputSmtpSource.RunAsync(smtpSource, a.Postfix, Warmup, a.Sessions, a.Size).ConfigureAwait(false);
        var ours = new List<double>();
        var peer = new List<double>();
        for (var round = 0; round < a.Rounds; round++)
        {
            if (round % 2 == 0)
            {
                ours.Add(await MxThroughputSmtpSource.RunAsync(smtpSource, mx, a.Messages, a.Sessions, a.Size).ConfigureAwait(false));
                peer.Add(await MxThroughputSmtpSource.RunAsync(smtpSource, a.Postfix, a.Messages, a.Sessions, a.Size).ConfigureAwait(false));
            }
            else
            {
                peer.Add(await MxThroughputSmtpSource.RunAsync(smtpSource, a.Postfix, a.Messages, a.Sessions, a.Size).ConfigureAwait(false));
                ours.Add(await MxThroughputSmtpSource.RunAsync(smtpSource, mx, a.Messages, a.Sessions, a.Size).ConfigureAwait(false));
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# round {round + 1}: gateway {ours[^1]:0} msg/s, postfix {peer[^1]:0} msg/s"));
        }

        var expected = Warmup + (a.Rounds * a.Messages);
        await CheckQueuedAsync("gateway spool", expected, () => GatewayQueuedAsync(gateway), log).ConfigureAwait(false);
        if (a.PostfixQueue is { } queue)
        {
            await CheckQueuedAsync("postfix queue", expected, () => Task.FromResult(PostfixQueued(queue)), log).ConfigureAwait(false);
        }

        var size = a.Size % 1024 == 0 ? $"{(a.Size / 1024).ToString(CultureInfo.InvariantCulture)} KB" : $"{a.Size.ToString(CultureInfo.InvariantCulture)} B";
        return new Figure($"mx accept {size} msgs durably, smtp-source {a.Sessions.ToString(CultureInfo.InvariantCulture)} sessions, median of {a.Rounds.ToString(CultureInfo.InvariantCulture)}", Median(ours), Median(peer), "msg/s");
    }

    /// <summary>Waits (bounded) until the queue holds every message sent: a figure for mail that was not queued would be a lie.</summary>
    private static async Task CheckQueuedAsync(string what, int expected, Func<Task<int>> count, TextWriter log)
    {
        var seen = 0;
        try
        {
            // Another process's queue: the condition is polled, with a deadline.
            await Eventually.TrueAsync(async () => (seen = await count().ConfigureAwait(false)) >= expected, TimeSpan.FromSeconds(30), $"{what} to hold {expected} messages").ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The error below says what was seen.
        }

        log.WriteLine($"# {what}: {seen.ToString(CultureInfo.InvariantCulture)} messages queued, {expected.ToString(CultureInfo.InvariantCulture)} sent");
        if (seen != expected)
        {
            throw new InvalidOperationException($"{what} holds {seen} messages, but {expected} were sent and acknowledged");
        }
    }

    private static async Task<int> GatewayQueuedAsync(GatewayProcess gateway)
    {
        var metrics = await gateway.Admin.GetStringAsync(new Uri("metrics", UriKind.Relative)).ConfigureAwait(false);
        const string Name = "continuity_mail_queue_messages ";
        var line = metrics.Split('\n').Single(l => l.StartsWith(Name, StringComparison.Ordinal));
        return int.Parse(line[Name.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Queue files in Postfix's incoming, active and deferred queues (hashed subdirectories included).</summary>
    private static int PostfixQueued(string queueDirectory) =>
        new[] { "incoming", "active", "deferred" }
            .Select(q => Path.Combine(queueDirectory, q))
            .Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count());

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
