using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Mail.Configuration;
using Continuity.Mail.Proxy;
using Continuity.Mail.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Probes;

/// <summary>
/// Probes every provider's IMAP backend (greeting + CAPABILITY) and submission backend (banner + EHLO) — see
/// <see cref="ImapSubmissionProbe"/> — each <c>Continuity:Mail:Probes:Interval</c> on the injected clock, reports each
/// result to <see cref="BackendHealthRegistry"/> (kind <c>imap</c> or <c>submission</c>, target <c>host:port</c>),
/// and when one of a provider's backends has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off
/// signal for it (source <c>access-probe</c>); the next comes only after that backend was seen up and then down
/// again. A backend shared by several providers is probed once per round. A signal the store could not act on is
/// raised again next round. Same shape as <see cref="InboundProbeService"/>, which probes the inbound backends.
/// </summary>
internal sealed partial class ImapSubmissionProbeService(
    IOptions<ContinuityOptions> continuity,
    ProbeOptions probes,
    BackendHealthRegistry registry,
    ICutoffSignals signals,
    MxIdentity identity,
    TimeProvider time,
    ILogger<ImapSubmissionProbeService> logger) : BackgroundService
{
    public const string ImapKind = "imap";
    public const string SubmissionKind = "submission";
    public const string SignalSource = "access-probe";

    /// <summary>
    /// Name of the <see cref="ProbeOptions"/> this service reads, bound straight from <c>Continuity:Mail:Probes</c>, so a
    /// host with the mail access part alone gets the configured probes too (<c>AddContinuityMail</c> validates the section).
    /// </summary>
    public const string OptionsName = "mail-access-probes";

    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly OutageSignalGate _outages = new();
    private readonly Dictionary<(string Tenant, string Provider, string Kind), bool> _lastUp = [];

    /// <summary>Every configured and parsable <c>Mail:Imap</c> and <c>Mail:Submission</c>, in configuration order.</summary>
    public IReadOnlyList<ImapSubmissionProbeTarget> Targets { get; } = FindTargets(continuity.Value);

    /// <summary>One round: each distinct backend probed once (all at once), every provider using it reported, signals raised.</summary>
    public async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = Targets
                .DistinctBy(Key)
                .ToDictionary(Key, t => t.Kind == ImapKind
                    ? ImapSubmissionProbe.ProbeImapAsync(t.Backend, probes.Timeout, time, cancellationToken)
                    : ImapSubmissionProbe.ProbeSubmissionAsync(t.Backend, identity.ServerName, probes.Timeout, time, cancellationToken));
            await Task.WhenAll(running.Values).ConfigureAwait(false);
            foreach (var target in Targets)
            {
                var outcome = await running[Key(target)].ConfigureAwait(false);
                var result = registry.Report(target.Tenant, target.Provider, target.Kind, target.Target, outcome.Up, outcome.Detail);
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
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Targets.Count == 0)
        {
            return;
        }

        await Task.Yield(); // the host's start does not wait for the first round
        using var timer = new PeriodicTimer(probes.Interval, time);
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

    private async Task SignalAsync(ImapSubmissionProbeTarget target, BackendProbeResult result, CancellationToken cancellationToken)
    {
        if (!_outages.IsDue(result, probes.DownAfter, out var since))
        {
            return;
        }

        var evidence = $"{target.Kind} backend {target.Backend} down since {since:o}: {result.Detail}";
        try
        {
            var outcome = await signals.RaiseAsync(new CutoffSignal(target.Tenant, null, target.Provider, SignalSource, evidence), cancellationToken).ConfigureAwait(false);
            LogSignal(logger, target.Kind, target.Tenant, target.Provider, outcome);
            if (outcome is not (CutoffSignalOutcome.Unavailable or CutoffSignalOutcome.TargetDown))
            {
                _outages.MarkSignalled(result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSignalFailed(logger, e, target.Kind, target.Tenant, target.Provider);
        }
    }

    private void LogTransition(ImapSubmissionProbeTarget target, BackendProbeResult result)
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
            LogUp(logger, target.Kind, target.Tenant, target.Provider, target.Target, result.Detail);
        }
        else
        {
            LogDown(logger, target.Kind, target.Tenant, target.Provider, target.Target, result.Detail);
        }
    }

    private static (string Kind, BackendEndpoint Backend) Key(ImapSubmissionProbeTarget target) => (target.Kind, target.Backend);

    private static List<ImapSubmissionProbeTarget> FindTargets(ContinuityOptions continuity)
    {
        var targets = new List<ImapSubmissionProbeTarget>();
        foreach (var (tenant, options) in continuity.Tenants)
        {
            foreach (var (provider, providerOptions) in options.Providers)
            {
                var mail = providerOptions?.Mail;
                if (mail?.Imap is { } imap && BackendEndpoint.TryParse(imap, BackendEndpoint.ImapSchemes, out var imapBackend))
                {
                    targets.Add(new ImapSubmissionProbeTarget(tenant, provider, ImapKind, imapBackend));
                }

                if (mail?.Submission is { } submission && BackendEndpoint.TryParse(submission, BackendEndpoint.SubmissionSchemes, out var submissionBackend))
                {
                    targets.Add(new ImapSubmissionProbeTarget(tenant, provider, SubmissionKind, submissionBackend));
                }
            }
        }

        return targets;
    }
}
