using Continuity.Core.Signals;
using Microsoft.Extensions.Hosting;

namespace Continuity.Core.Health;

/// <summary>
/// The loop every backend prober runs. Each <see cref="IProbeSchedule.Interval"/> on the injected clock one round probes each distinct
/// backend once (all at once, <see cref="ProbeAsync"/>), reports every provider using it to
/// <see cref="BackendHealthRegistry"/>, logs each provider's up/down transitions, and when a provider's backend has been
/// down for <see cref="IProbeSchedule.DownAfter"/> raises one tenant-level cut-off signal (<see cref="OutageSignalGate"/>: the next
/// comes only after that backend was seen up and then down again). A signal the store could not act on
/// (<see cref="CutoffSignalOutcome.Unavailable"/>, or an error), or held back because the target provider is down too
/// (<see cref="CutoffSignalOutcome.TargetDown"/>), is raised again next round. A round that fails for any other reason
/// is logged and the next one runs on time: probing stops only with the host.
/// </summary>
/// <typeparam name="TTarget">One provider's backend as the prober reads it from configuration.</typeparam>
/// <typeparam name="TBackend">What is probed: targets with equal backends (providers sharing one server) are probed once per round.</typeparam>
public abstract partial class BackendProbeService<TTarget, TBackend> : BackgroundService
    where TTarget : IProbeTarget
    where TBackend : notnull
{
    private readonly string _signalSource;
    private readonly BackendHealthRegistry _registry;
    private readonly ICutoffSignals _signals;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly OutageSignalGate _outages = new();
    private readonly Dictionary<(string Tenant, string Provider, string Kind), bool> _lastUp = [];

    /// <param name="targets">Every configured backend, in configuration order; none means the service does nothing.</param>
    /// <param name="schedule">When to probe, how long a probe may take, when a down backend is signalled.</param>
    /// <param name="signalSource">The <see cref="CutoffSignal.Source"/> of this prober's signals (<c>mx-probe</c>, …).</param>
    /// <param name="dependencies">Registry, signals, clock (also the probes', through <see cref="Time"/>) and loggers; the prober's logger has its own category.</param>
    protected BackendProbeService(IReadOnlyList<TTarget> targets, IProbeSchedule schedule, string signalSource, BackendProbeServiceDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        Targets = targets;
        Schedule = schedule;
        _signalSource = signalSource;
        _registry = dependencies.Registry;
        _signals = dependencies.Signals;
        Time = dependencies.Time;
        _logger = dependencies.Loggers.CreateLogger(GetType());
    }

    /// <summary>Every configured backend of every provider, in configuration order.</summary>
    public IReadOnlyList<TTarget> Targets { get; }

    /// <summary>The injected clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>When to probe, how long a probe may take (<see cref="IProbeSchedule.Timeout"/>, for <see cref="ProbeAsync"/>), when to signal.</summary>
    protected IProbeSchedule Schedule { get; }

    /// <summary>The backend <paramref name="target"/> probes; equal values are probed once per round.</summary>
    protected abstract TBackend BackendOf(TTarget target);

    /// <summary>One probe of the backend of <paramref name="target"/>, bounded by the prober's timeout; a failure is an outcome, not an exception.</summary>
    protected abstract Task<ProbeOutcome> ProbeAsync(TTarget target, CancellationToken cancellationToken);

    /// <summary>One round: each distinct backend probed once (all at once), every provider using it reported, signals raised.</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = Targets.DistinctBy(BackendOf).ToDictionary(BackendOf, t => ProbeAsync(t, cancellationToken));
            await Task.WhenAll(running.Values).ConfigureAwait(false);
            foreach (var target in Targets)
            {
                var outcome = await running[BackendOf(target)].ConfigureAwait(false);
                var result = _registry.Report(target.Tenant, target.Provider, target.Kind, target.Target, outcome.Up, outcome.Detail);
                LogTransition(target, result);
                await SignalAsync(target, result, cancellationToken).ConfigureAwait(false);
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
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Targets.Count == 0)
        {
            return;
        }

        await Task.Yield(); // the host's start does not wait for the first round
        using var timer = new PeriodicTimer(Schedule.Interval, Time);
        try
        {
            do
            {
                await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round of the loop, with the last-resort catch: an unexpected failure is logged and the loop goes on.</summary>
    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Log.RoundFailed(_logger, e, _signalSource);
        }
    }

    private async Task SignalAsync(TTarget target, BackendProbeResult result, CancellationToken cancellationToken)
    {
        if (!_outages.IsDue(result, Schedule.DownAfter, out var since))
        {
            return;
        }

        var evidence = $"{target.Description} down since {since:o}: {result.Detail}";
        try
        {
            var signal = new CutoffSignal(target.Tenant, null, target.Provider, _signalSource, evidence);
            var outcome = await _signals.RaiseAsync(signal, cancellationToken).ConfigureAwait(false);
            Log.Signalled(_logger, target.Kind, target.Tenant, target.Provider, outcome);
            if (outcome is not (CutoffSignalOutcome.Unavailable or CutoffSignalOutcome.TargetDown))
            {
                _outages.MarkSignalled(result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SignalFailed(_logger, e, target.Kind, target.Tenant, target.Provider);
        }
    }

    private void LogTransition(TTarget target, BackendProbeResult result)
    {
        var key = (target.Tenant, target.Provider, target.Kind);
        var known = _lastUp.TryGetValue(key, out var wasUp);
        _lastUp[key] = result.Up;
        if (known && wasUp == result.Up)
        {
            return;
        }

        if (result.Up)
        {
            Log.Up(_logger, target.Kind, target.Target, target.Tenant, target.Provider, result.Detail);
        }
        else
        {
            Log.Down(_logger, target.Kind, target.Target, target.Tenant, target.Provider, result.Detail);
        }
    }
}
