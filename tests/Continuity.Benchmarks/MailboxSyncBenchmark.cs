using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// Mailbox sync throughput, ours vs <c>mbsync</c> in the same run. One primary Dovecot holds N messages (default
/// 10 000 of ~10 KB) in one folder, seeded as Maildir files and indexed (warmed) before anything is timed. Then
/// (a) <see cref="Continuity.Mail.Sync.MailboxSynchronizer"/> (defaults of <c>Continuity:Mail:Sync</c>, checkpoints in
/// a real redis-server) copies the mailbox to a fresh sovereign Dovecot, and (b) mbsync copies it to another fresh
/// Dovecot; both log in through the master user, both copy flags and internal dates, both must end with every message.
/// Then M new messages (default 100) arrive on the primary and each runs once more (incremental: connect, find what
/// is new, copy it, carry flag changes). Figures are messages per second of wall time, ratio = ours / mbsync.
/// </summary>
internal static class MailboxSyncBenchmark
{
    private const string User = "alice@demo.test";
    private const string Folder = "Archive2019";

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = MailboxSyncArguments.Parse(args);
        if (arguments is null)
        {
            Console.Error.WriteLine(MailboxSyncArguments.Usage);
            return 2;
        }

        if (typeof(MailboxSyncBenchmark).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Console.Error.WriteLine("Build the benchmarks in Release (dotnet run -c Release …): the numbers would mean nothing.");
            return 2;
        }

        try
        {
            var mbsync = RequiredProgram.Find("mbsync", "isync");
            await MeasureAsync(arguments, mbsync, Console.Out, Console.Error).ConfigureAwait(false);
            return 0;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("apt-get install", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(e.Message); // a missing program: say how to install it
            return 1;
        }
    }

    /// <summary>Writes the figures to <paramref name="figures"/> before the servers are torn down (deleting ~300 MB of Maildir takes a while).</summary>
    private static async Task MeasureAsync(MailboxSyncArguments a, string mbsync, TextWriter figures, TextWriter log)
    {
        using var dir = new TempDirectory("sync-bench");
        using var redis = new RedisServer();
        using var primary = DovecotServer.Start("bench-primary", User);
        using var sovereign = DovecotServer.Start("bench-sovereign", User);
        using var near = DovecotServer.Start("bench-mbsync", User);
        await using var engine = new MailboxSyncEngine(primary, sovereign, redis, dir.Combine("data"), User);
        var peer = new MailboxSyncPeer(mbsync, primary, near, User, dir.Path);
        var source = new MailboxSyncMailbox(primary, User);

        var clock = Stopwatch.StartNew();
        await source.SeedMaildirAsync(Folder, a.Messages, a.Size).ConfigureAwait(false);
        await source.WarmAsync(Folder).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# primary: {a.Messages} messages of {a.Size} bytes in {Folder}, seeded as Maildir files and indexed in {clock.Elapsed.TotalSeconds:0.0} s"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# ours: MailboxSynchronizer, BatchSize {engine.Options.BatchSize}, AppendBatchSize {engine.Options.AppendBatchSize}, AppendBatchBytes {engine.Options.AppendBatchBytes}, checkpoints in redis-server {redis.ConnectionString}"));
        log.WriteLine($"# peer: {mbsync} (Patterns *, Sync Pull New Flags, Create Near, CopyArrivalDate yes)");

        var memory = MailboxSyncMemory.Start();
        TimeSpan oursFull;
        try
        {
            oursFull = await TimeAsync(() => engine.SyncAsync(User)).ConfigureAwait(false);
        }
        finally
        {
            await memory.DisposeAsync().ConfigureAwait(false);
        }

        var oursPeak = memory.PeakWorkingSet;
        {
            log.WriteLine($"# ours, full sync: peak working set {MailboxSyncMemory.Megabytes(memory.PeakWorkingSet)} (before the run {MailboxSyncMemory.Megabytes(memory.BaselineWorkingSet)}), peak live managed heap {MailboxSyncMemory.Megabytes(memory.PeakManagedHeap)}");
        }

        await ExpectAsync(sovereign, "ours", a.Messages).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# ours, full sync: {oursFull.TotalSeconds:0.00} s, {a.Messages / oursFull.TotalSeconds:0} msg/s; mbsync next"));
        var peerFull = await peer.RunAsync().ConfigureAwait(false);
        var peerPeak = peer.LastMaxRss;
        log.WriteLine($"# mbsync, full sync: max resident set {MailboxSyncMemory.Megabytes(peerPeak)}{(peerPeak is null ? $" ({MailboxSyncMemory.Time} not installed: apt-get install time)" : "")}");
        await ExpectAsync(near, "mbsync", a.Messages).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# full sync: ours {oursFull.TotalSeconds:0.00} s, mbsync {peerFull.TotalSeconds:0.00} s"));

        await source.AppendAsync(Folder, a.Messages, a.Incremental, a.Size).ConfigureAwait(false);
        var oursIncremental = await TimeAsync(() => engine.SyncAsync(User)).ConfigureAwait(false);
        await ExpectAsync(sovereign, "ours", a.Messages + a.Incremental).ConfigureAwait(false);
        var peerIncremental = await peer.RunAsync().ConfigureAwait(false);
        await ExpectAsync(near, "mbsync", a.Messages + a.Incremental).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# incremental ({a.Incremental} new of {a.Messages + a.Incremental}): ours {oursIncremental.TotalMilliseconds:0} ms, mbsync {peerIncremental.TotalMilliseconds:0} ms"));

        figures.WriteLine(new Figure($"mailbox sync full {a.Messages} msgs", a.Messages / oursFull.TotalSeconds, a.Messages / peerFull.TotalSeconds, "msg/s"));
        figures.WriteLine(new Figure($"mailbox sync incremental {a.Incremental} msgs", a.Incremental / oursIncremental.TotalSeconds, a.Incremental / peerIncremental.TotalSeconds, "msg/s"));
        figures.WriteLine(new Figure($"mailbox sync full {a.Messages} msgs peak memory (lower is better)", oursPeak / 1048576.0, (peerPeak ?? 0) / 1048576.0, "MB"));
        await figures.FlushAsync().ConfigureAwait(false);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run().ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>A figure counts only if the copy is whole.</summary>
    private static async Task ExpectAsync(DovecotServer server, string who, int expected)
    {
        var count = await new MailboxSyncMailbox(server, User).CountAsync(Folder).ConfigureAwait(false);
        if (count != expected)
        {
            throw new InvalidOperationException($"{who}: the copy of {Folder} holds {count} messages, expected {expected}");
        }
    }
}
