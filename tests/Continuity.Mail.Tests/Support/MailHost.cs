using Microsoft.Extensions.Time.Testing;
using System.Net;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.Tenants;
using Continuity.Mail.Queue;
using Continuity.Mail.Smtp;
using Continuity.Mail.Spool;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Tests.Support;

/// <summary>
/// The mail part as the gateway hosts it (<c>AddContinuityMail</c> and its hosted services) on a free loopback
/// port with its own spool directory. Tenant <c>demo</c> (demo.test) has providers <c>primary</c> and <c>sovereign</c>.
/// </summary>
public sealed class MailHost : IAsyncDisposable
{
    private readonly PartHost _host;
    private TempDirectory? _ownSpool;

    private MailHost(PartHost host, string spoolDir)
    {
        _host = host;
        SpoolDir = spoolDir;
    }

    private ServiceProvider Services => _host.Services;

    public string SpoolDir { get; }

    public RouteTable Routes => Services.GetRequiredService<RouteTable>();

    public RecordingCutoffSignals Signals => (RecordingCutoffSignals)Services.GetRequiredService<ICutoffSignals>();

    public MailQueue Queue => Services.GetRequiredService<MailQueue>();

    internal SpoolQueue SpoolQueue => Services.GetRequiredService<SpoolQueue>();

    public int Port => ((IPEndPoint)Services.GetRequiredService<MxServer>().Endpoints[0]).Port;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A host with a spool directory of its own, removed on dispose (for tests that never look into the spool).</summary>
    /// <param name="settings">Configuration keys under <c>Continuity:</c> (without the prefix), added to the defaults.</param>
    public static async Task<MailHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var spool = new TempDirectory("mail-host");
        try
        {
            var host = await StartAsync(spool.Path, settings, time);
            host._ownSpool = spool;
            return host;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    /// <param name="settings">Configuration keys under <c>Continuity:</c> (without the prefix), added to the defaults.</param>
    public static async Task<MailHost> StartAsync(string spoolDir, IDictionary<string, string?> settings, TimeProvider? time = null, int port = 0)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["DataDir"] = spoolDir,
            ["Listeners:Smtp"] = (port == 0 ? FreePort.Next() : port).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:SpoolDir"] = spoolDir,
            ["Mail:ServerName"] = "mx.demo.test",
            ["Tenants:demo:Domains:0"] = "demo.test",
            ["Tenants:demo:DefaultProvider"] = "primary",
            ["Tenants:demo:SovereignProvider"] = "sovereign",
            ["Tenants:demo:Users:0"] = "alice@demo.test",
            ["Tenants:demo:Users:1"] = "bob@demo.test",
        };
        var configuration = PartHost.Configuration(values, settings);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<RouteTable>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<Continuity.Core.Listeners.ListenerRegistry>();
        services.AddSingleton<ICutoffSignals, RecordingCutoffSignals>();
        services.AddContinuityMail(configuration);
        var host = await PartHost.StartAsync(services, provider =>
            _ = provider.GetRequiredService<IOptions<Configuration.MailOptions>>().Value); // validation errors surface here
        return new MailHost(host, spoolDir);
    }

    /// <summary>Sets alice/bob overrides on top of the default route <c>primary</c>.</summary>
    public void Route(long version, params (string User, string Provider)[] overrides) => PartHost.Route(Routes, version, overrides);

    /// <summary>Waits (on queue events, not on a clock) until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            try
            {
                if (condition())
                {
                    done.TrySetResult();
                }
            }
            catch (IOException)
            {
                // A file being written; the next event checks again.
            }
        }

        SpoolQueue.Changed += Check;
        try
        {
            Check();
            try
            {
                await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting until {what}. Queue: {string.Join("; ", Queue.List().Select(Describe))}");
            }
        }
        finally
        {
            SpoolQueue.Changed -= Check;
        }
    }

    /// <summary>
    /// Moves the fake clock by <paramref name="advance"/>, then by <paramref name="nudge"/> more every 200 ms until
    /// <paramref name="condition"/> holds. A delivery worker may arm its retry timer just after a single advance
    /// (its delay was computed before, the timer created after): one advance can then miss it for good.
    /// No nudge while a delivery is in flight: the LMTP command timeouts run on the same clock, and a jump in the middle
    /// of a transaction would time it out after the final dot (to a backend without an IMAP login that is at-least-once,
    /// so the copy would arrive twice: an artefact of the fake clock, which real time never does).
    /// </summary>
    public async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan advance, TimeSpan nudge, Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(time);
        time.Advance(advance);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await WaitUntilAsync(condition, what, TimeSpan.FromMilliseconds(200));
                return;
            }
            catch (Xunit.Sdk.XunitException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                if (!SpoolQueue.Messages.Any(m => m.InFlight))
                {
                    time.Advance(nudge);
                }
            }
        }
    }

    public Task WaitForEmptyQueueAsync(TimeSpan? timeout = null) => WaitUntilAsync(() => SpoolQueue.Count == 0, "the queue is empty", timeout);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _ownSpool?.Dispose();
    }

    private static string Describe(QueuedMessageView m) =>
        $"{m.Id} from <{m.From}>: " + string.Join(", ", m.Recipients.Select(r => $"{r.DeliverTo}={r.State}/{r.CopyState} ({r.LastError})"));
}
