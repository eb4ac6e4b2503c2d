using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Continuity.Benchmarks;

/// <summary>
/// Memory of each side of the sync benchmark. Ours runs in this process: a sampler reads the process working set and
/// every 20 ms and the live managed heap (after a full collection) twice a second while a run is under way, and keeps the peaks (the baseline before the run is reported
/// too). mbsync runs under <c>/usr/bin/time -v</c> when that exists (package <c>time</c>), which reports its maximum
/// resident set size.
/// </summary>
internal sealed partial class MailboxSyncMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakWorkingSet;
    private long _peakHeap;

    private MailboxSyncMemory()
    {
        using var self = Process.GetCurrentProcess();
        BaselineWorkingSet = self.WorkingSet64;
        _loop = Task.Run(LoopAsync);
    }

    public const string Time = "/usr/bin/time";

    /// <summary>Working set when sampling started (after a full GC).</summary>
    public long BaselineWorkingSet { get; }

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    /// <summary>Peak of the live managed heap (sampled after forced full collections).</summary>
    public long PeakManagedHeap => Interlocked.Read(ref _peakHeap);

    /// <summary>Collects garbage first, so the baseline is what the process holds, not what seeding left behind.</summary>
    public static MailboxSyncMemory Start()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return new MailboxSyncMemory();
    }

    /// <summary>mbsync's "Maximum resident set size (kbytes)" from <c>time -v</c> output, in bytes; null when absent.</summary>
    public static long? MaxRss(string timeOutput)
    {
        var match = MaxRssLine().Match(timeOutput);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1024 : null;
    }

    public static string Megabytes(long? bytes) =>
        bytes is { } b ? (b / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB" : "n/a";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var self = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var ticks = 0;
        do
        {
            self.Refresh();
            Max(ref _peakWorkingSet, self.WorkingSet64);
            if (ticks++ % 25 == 0)
            {
                // Twice a second a full collection: what the run really holds, not garbage a GC has not reclaimed yet.
                Max(ref _peakHeap, GC.GetTotalMemory(forceFullCollection: true));
            }
        }
        while (await Tick(timer).ConfigureAwait(false));

        async Task<bool> Tick(PeriodicTimer t)
        {
            try
            {
                return await t.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private static void Max(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\):\s*(\d+)")]
    private static partial Regex MaxRssLine();
}
