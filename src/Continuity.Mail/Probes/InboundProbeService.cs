using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Mail.Configuration;
using Continuity.Mail.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Probes;

/// <summary>
/// Probes every provider's inbound backend (<see cref="InboundProbe"/>) each <c>Probes:Interval</c> on the injected
/// clock, reports each result to <see cref="BackendHealthRegistry"/> (kind <c>inbound</c>, target <c>host:port</c>),
/// and when a provider's backend has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off signal
/// (source <c>mx-probe</c>). The next signal for that provider comes only after it was seen up and then down again.
/// A backend shared by several providers is probed once per round. A signal the store could not act on
/// (<see cref="CutoffSignalOutcome.Unavailable"/>, or an error), or held back because the target provider is down too
/// (<see cref="CutoffSignalOutcome.TargetDown"/>), is raised again next round.
/// </summary>
internal sealed partial class InboundProbeService(
    IOptions<ContinuityOptions> continuity,
    IOptions<MailOptions> options,
    BackendHealthRegistry registry,
    ICutoffSignals signals,
    MxIdentity identity,
    TimeProvider time,
    ILogger<InboundProbeService> logger) : BackgroundService
{
    public const string Kind = "inbound";
    public const string SignalSource = "mx-probe";

    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly OutageSignalGate _outages = new();
    private readonly Dictionary<(string Tenant, string Provider), bool> _lastUp = [];

    /// <summary>Every configured <c>Mail:Inbound</c>, in configuration order.</summary>
    public IReadOnlyList<InboundProbeTarget> Targets { get; } = FindTargets(continuity.Value);

    /// <summary>One round: each distinct backend probed once (all at once), every provider using it reported, signals raised.</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var probes = options.Value.Probes;
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = Targets
                .Select(t => t.Backend)
                .DistinctBy(Key)
                .ToDictionary(Key, b => InboundProbe.ProbeAsync(b, identity.ServerName, probes.Timeout, time, cancellationToken));
            await Task.WhenAll(running.Values).ConfigureAwait(false);
            foreach (var target in Targets)
            {
                var outcome = await running[Key(target.Backend)].ConfigureAwait(false);
                var result = registry.Report(target.Tenant, target.Provider, Kind, target.Target, outcome.Up, outcome.Detail);
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

    private async Task SignalAsync(InboundProbeTarget target, BackendProbeResult result, TimeSpan downAfter, CancellationToken cancellationToken)
    {
        if (!_outages.IsDue(result, downAfter, out var since))
        {
            return;
        }

        var evidence = $"inbound backend {target.Backend.Scheme}://{target.Target} down since {since:o}: {result.Detail}";
        try
        {
            var outcome = await signals.RaiseAsync(new CutoffSignal(target.Tenant, null, target.Provider, SignalSource, evidence), cancellationToken).ConfigureAwait(false);
            LogSignal(logger, target.Tenant, target.Provider, outcome);
            if (outcome is not (CutoffSignalOutcome.Unavailable or CutoffSignalOutcome.TargetDown))
            {
                _outages.MarkSignalled(result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSignalFailed(logger, e, target.Tenant, target.Provider);
        }
    }

    private void LogTransition(InboundProbeTarget target, BackendProbeResult result)
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
            LogUp(logger, target.Tenant, target.Provider, target.Target, result.Detail);
        }
        else
        {
            LogDown(logger, target.Tenant, target.Provider, target.Target, result.Detail);
        }
    }

    private static string Key(Uri backend) => backend.GetLeftPart(UriPartial.Authority);

    private static List<InboundProbeTarget> FindTargets(ContinuityOptions continuity) =>
        [.. from tenant in continuity.Tenants
            from provider in tenant.Value.Providers
            let inbound = provider.Value?.Mail?.Inbound
            where Uri.TryCreate(inbound, UriKind.Absolute, out var uri) && uri.Scheme is "smtp" or "smtps" or "lmtp" && uri.Port > 0
            select new InboundProbeTarget(tenant.Key, provider.Key, new Uri(inbound!))];
}
