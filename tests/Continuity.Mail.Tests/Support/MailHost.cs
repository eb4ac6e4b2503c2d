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
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started = [];

    private MailHost(ServiceProvider services, string spoolDir)
    {
        _services = services;
        SpoolDir = spoolDir;
    }

    public string SpoolDir { get; }

    public RouteTable Routes => _services.GetRequiredService<RouteTable>();

    public RecordingCutoffSignals Signals => (RecordingCutoffSignals)_services.GetRequiredService<ICutoffSignals>();

    public MailQueue Queue => _services.GetRequiredService<MailQueue>();

    internal SpoolQueue SpoolQueue => _services.GetRequiredService<SpoolQueue>();

    public int Port => ((IPEndPoint)_services.GetRequiredService<MxServer>().Endpoints[0]).Port;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

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
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<RouteTable>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<Continuity.Core.Listeners.ListenerRegistry>();
        services.AddSingleton<ICutoffSignals, RecordingCutoffSignals>();
        services.AddContinuityMail(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<Configuration.MailOptions>>().Value; // validation errors surface here
        var host = new MailHost(provider, spoolDir);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }

        return host;
    }

    /// <summary>Sets alice/bob overrides on top of the default route <c>primary</c>.</summary>
    public void Route(long version, params (string User, string Provider)[] overrides) =>
        Routes.TrySwap(new RouteSnapshot(version, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", overrides.ToDictionary(o => o.User, o => o.Provider)),
        }));

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
                time.Advance(nudge);
            }
        }
    }

    public Task WaitForEmptyQueueAsync(TimeSpan? timeout = null) => WaitUntilAsync(() => SpoolQueue.Count == 0, "the queue is empty", timeout);

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }

    private static string Describe(QueuedMessageView m) =>
        $"{m.Id} from <{m.From}>: " + string.Join(", ", m.Recipients.Select(r => $"{r.DeliverTo}={r.State}/{r.CopyState} ({r.LastError})"));
}
