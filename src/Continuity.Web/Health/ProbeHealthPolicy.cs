using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Web.Proxy;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Continuity.Web.Health;

/// <summary>
/// YARP's active probes, judged and reported: a destination is down after the app's
/// <c>HealthFailureThreshold</c> failed probes in a row and up at the first good one; every probe
/// goes to the <see cref="BackendHealthRegistry"/> (<c>/health/status</c>, <c>/metrics</c>); when every
/// destination of a provider's app is down, one tenant-level cut-off signal per outage (the
/// <see cref="OutageSignalGate"/> every prober uses, with the cluster as the backend).
/// </summary>
internal sealed partial class ProbeHealthPolicy(
    IDestinationHealthUpdater updater,
    BackendHealthRegistry registry,
    ICutoffSignals signals,
    IOptionsMonitor<WebOptions> web,
    TimeProvider time,
    ILogger<ProbeHealthPolicy> logger) : IActiveHealthCheckPolicy
{
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failures = [];

    /// <summary>Since when every destination of a cluster is down, per cluster id, while it is.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _allDownSince = new(StringComparer.Ordinal);

    /// <summary>YARP probes clusters on their own timers, so completions may overlap: the gate is used under <see cref="_gateLock"/>.</summary>
    private readonly OutageSignalGate _outages = new();
    private readonly Lock _gateLock = new();

    public string Name => ProxyMetadata.HealthPolicy;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(probingResults);
        var metadata = cluster.Model.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.Tenant, out var tenant)
            || !metadata.TryGetValue(ProxyMetadata.App, out var app) || !metadata.TryGetValue(ProxyMetadata.Provider, out var provider))
        {
            return;
        }

        var threshold = web.CurrentValue.App(app).HealthFailureThreshold;
        var updates = new List<NewActiveDestinationHealth>(probingResults.Count);
        foreach (var result in probingResults)
        {
            var ok = result.Exception is null && result.Response is { IsSuccessStatusCode: true };
            var failures = _failures.GetOrCreateValue(result.Destination);
            var failedBefore = failures.Value;
            failures.Value = ok ? 0 : failures.Value + 1;
            var health = ok ? DestinationHealth.Healthy
                : failures.Value >= threshold ? DestinationHealth.Unhealthy
                : result.Destination.Health.Active;
            updates.Add(new NewActiveDestinationHealth(result.Destination, health));
            var detail = Describe(result, failures.Value, threshold);
            registry.Report(tenant, provider, ProxyMetadata.HealthKind(app), result.Destination.Model.Config.Address, ok, detail);
            LogProbe(tenant, app, provider, result, ok, failedBefore);
        }

        updater.SetActive(cluster, updates);
        TrackOutage(cluster.ClusterId, tenant, app, provider, updates);
    }

    private void TrackOutage(string clusterId, string tenant, string app, string provider, List<NewActiveDestinationHealth> updates)
    {
        var now = time.GetUtcNow();
        var allDown = updates.Count > 0 && updates.TrueForAll(u => u.NewActiveHealth == DestinationHealth.Unhealthy);
        DateTimeOffset? since = allDown ? _allDownSince.GetOrAdd(clusterId, now) : null;
        if (!allDown && _allDownSince.TryRemove(clusterId, out var downSince))
        {
            Log.Recovered(logger, tenant, app, provider, now - downSince);
        }

        var cluster = new BackendProbeResult(tenant, provider, ProxyMetadata.HealthKind(app), clusterId, !allDown, now,
            allDown ? $"all {updates.Count} backends down" : "at least one backend up", since);
        lock (_gateLock)
        {
            // The health threshold already decided "down"; the gate only keeps it to one signal per outage. Claimed
            // before raising, so an overlapping completion cannot signal the same outage twice.
            if (!_outages.IsDue(cluster, TimeSpan.Zero, out _))
            {
                return;
            }

            _outages.MarkSignalled(cluster);
        }

        Log.AllDown(logger, tenant, app, provider, updates.Count);
        var evidence = $"all {updates.Count} backends of app {app} failed their health probes";
        _ = RaiseAsync(new CutoffSignal(tenant, null, provider, "web-probe", evidence));
    }

    private async Task RaiseAsync(CutoffSignal signal)
    {
        try
        {
            var outcome = await signals.RaiseAsync(signal).ConfigureAwait(false);
            Log.Signalled(logger, signal.Tenant, signal.Provider, outcome);
        }
#pragma warning disable CA1031 // A failed signal must not stop probing; it is logged and the outage stays visible in health.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SignalFailed(logger, signal.Tenant, signal.Provider, ex);
        }
    }

    /// <summary>
    /// One line per change, never a stack trace: YARP's own probe warning (with the whole exception) is turned off in
    /// appsettings.json, so a backend that refuses connections is one warning when it starts failing, then debug lines
    /// until it answers again. The exception's message says what happened ("Connection refused (127.0.0.1:5201)").
    /// </summary>
    private void LogProbe(string tenant, string app, string provider, DestinationProbingResult result, bool ok, int failedBefore)
    {
        var address = result.Destination.Model.Config.Address;
        if (ok)
        {
            if (failedBefore > 0)
            {
                Log.ProbeRecovered(logger, address, tenant, app, provider, failedBefore);
            }

            return;
        }

        var what = result.Exception is { } ex ? OneLine(ex)
            : result.Response is { } response ? $"HTTP {(int)response.StatusCode}"
            : "no response";
        if (failedBefore == 0)
        {
            Log.ProbeFailed(logger, address, tenant, app, provider, what);
        }
        else
        {
            Log.ProbeStillFailing(logger, address, tenant, app, provider, failedBefore + 1, what);
        }
    }

    /// <summary>The exception's message and its inner ones', on one line (a timeout says so instead of "A task was canceled").</summary>
    private static string OneLine(Exception ex) => ex switch
    {
        OperationCanceledException or TimeoutException => "no answer within the probe timeout",
        _ when ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };

    private static string Describe(DestinationProbingResult result, int failures, int threshold)
    {
        var what = result.Exception is { } ex ? OneLine(ex)
            : result.Response is { } response ? $"HTTP {(int)response.StatusCode}"
            : "no response";
        return failures == 0 ? what : $"{what} ({failures} failed probe(s) in a row, down at {threshold})";
    }
}
