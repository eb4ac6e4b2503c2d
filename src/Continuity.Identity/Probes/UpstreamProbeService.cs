using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Identity.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Identity.Probes;

/// <summary>
/// Probes every provider's identity upstream (<see cref="UpstreamProbe"/>) each <c>Probes:Interval</c> on the injected
/// clock, reports each result to <see cref="BackendHealthRegistry"/> (kind <c>identity</c>, target the authority), and
/// when a provider's upstream has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off signal (source
/// <c>identity-probe</c>). The next signal for that provider comes only after it was seen up and then down again. An
/// authority shared by several providers is probed once per round. A signal the store could not act on
/// (<see cref="CutoffSignalOutcome.Unavailable"/>, or an error), or held back because the target provider is down too
/// (<see cref="CutoffSignalOutcome.TargetDown"/>), is raised again next round.
/// </summary>
internal sealed partial class UpstreamProbeService(
    IOptions<ContinuityOptions> continuity,
    IOptions<IdentityOptions> options,
    BackendHealthRegistry registry,
    ICutoffSignals signals,
    IHttpClientFactory clients,
    TimeProvider time,
    ILogger<UpstreamProbeService> logger) : BackgroundService
{
    public const string Kind = "identity";
    public const string SignalSource = "identity-probe";
    public const string HttpClientName = "continuity-identity-probe";

    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly OutageSignalGate _outages = new();
    private readonly Dictionary<(string Tenant, string Provider), bool> _lastUp = [];

    /// <summary>Every configured <c>Identity:Authority</c>, in configuration order.</summary>
    public IReadOnlyList<UpstreamProbeTarget> Targets { get; } =
        [.. from tenant in continuity.Value.Tenants
            from provider in tenant.Value.Providers
            where provider.Value?.Identity?.Authority is { Length: > 0 }
            select new UpstreamProbeTarget(tenant.Key, provider.Key, provider.Value.Identity!.Authority)];

    /// <summary>One round: each distinct authority probed once (all at once), every provider using it reported, signals raised.</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var probes = options.Value.Probes;
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var http = clients.CreateClient(HttpClientName);
            var running = Targets.Select(t => t.Authority).Distinct(StringComparer.Ordinal)
                .ToDictionary(a => a, a => UpstreamProbe.ProbeAsync(http, a, probes.Timeout, time, cancellationToken), StringComparer.Ordinal);
            await Task.WhenAll(running.Values).ConfigureAwait(false);
            foreach (var target in Targets)
            {
                var (up, detail) = await running[target.Authority].ConfigureAwait(false);
                var result = registry.Report(target.Tenant, target.Provider, Kind, target.Authority, up, detail);
                LogTransition(target, result);
                await SignalAsync(target, result, probes.DownAfter, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _round.Release();
        }
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Targets.Count == 0)
        {
            return;
        }

        await Task.Yield(); // the host's start does not wait for the first round
        using var timer = new PeriodicTimer(options.Value.Probes.Interval, time);
        try
        {
            do
            {
                await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SignalAsync(UpstreamProbeTarget target, BackendProbeResult result, TimeSpan downAfter, CancellationToken cancellationToken)
    {
        if (!_outages.IsDue(result, downAfter, out var since))
        {
            return;
        }

        var evidence = $"identity upstream {target.Authority} down since {since:o}: {result.Detail}";
        try
        {
            var outcome = await signals.RaiseAsync(new CutoffSignal(target.Tenant, null, target.Provider, SignalSource, evidence), cancellationToken).ConfigureAwait(false);
            Log.Signalled(logger, target.Tenant, target.Provider, outcome);
            if (outcome is not (CutoffSignalOutcome.Unavailable or CutoffSignalOutcome.TargetDown))
            {
                _outages.MarkSignalled(result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SignalFailed(logger, e, target.Tenant, target.Provider);
        }
    }

    private void LogTransition(UpstreamProbeTarget target, BackendProbeResult result)
    {
        var key = (target.Tenant, target.Provider);
        var known = _lastUp.TryGetValue(key, out var wasUp);
        _lastUp[key] = result.Up;
        if (known && wasUp == result.Up)
        {
            return;
        }

        if (result.Up)
        {
            Log.Up(logger, target.Tenant, target.Provider, target.Authority, result.Detail);
        }
        else
        {
            Log.Down(logger, target.Tenant, target.Provider, target.Authority, result.Detail);
        }
    }
}
