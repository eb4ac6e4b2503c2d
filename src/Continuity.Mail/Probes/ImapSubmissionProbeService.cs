namespace Continuity.Mail.Probes;

/// <summary>
/// Probes every provider's IMAP backend (greeting + CAPABILITY) and submission backend (banner + EHLO) — see
/// <see cref="ImapSubmissionProbe"/> — each <c>Continuity:Mail:Probes:Interval</c>, reports each result to
/// <see cref="BackendHealthRegistry"/> (kind <c>imap</c> or <c>submission</c>, target <c>host:port</c>), and when one of
/// a provider's backends has been down for <c>Probes:DownAfter</c> raises one tenant-level cut-off signal for it
/// (source <c>access-probe</c>). A backend shared by several providers is probed once per round. The loop, the signal
/// rules and the logging are <see cref="BackendProbeService{TTarget, TBackend}"/>'s, as for <see cref="InboundProbeService"/>.
/// </summary>
internal sealed class ImapSubmissionProbeService(
    IOptions<ContinuityOptions> continuity,
    ProbeOptions probes,
    MxIdentity identity,
    BackendProbeServiceDependencies dependencies)
    : BackendProbeService<ImapSubmissionProbeTarget, (string Kind, BackendEndpoint Backend)>(FindTargets(continuity.Value), probes, SignalSource, dependencies)
{
    public const string ImapKind = "imap";
    public const string SubmissionKind = "submission";
    public const string SignalSource = "access-probe";

    /// <summary>
    /// Name of the <see cref="ProbeOptions"/> this service reads, bound straight from <c>Continuity:Mail:Probes</c>, so a
    /// host with the mail access part alone gets the configured probes too (<c>AddContinuityMail</c> validates the section).
    /// </summary>
    public const string OptionsName = "mail-access-probes";

    protected override (string Kind, BackendEndpoint Backend) BackendOf(ImapSubmissionProbeTarget target) => (target.Kind, target.Backend);

    protected override Task<ProbeOutcome> ProbeAsync(ImapSubmissionProbeTarget target, CancellationToken cancellationToken) =>
        target.Kind == ImapKind
            ? ImapSubmissionProbe.ProbeImapAsync(target.Backend, Schedule.Timeout, Time, cancellationToken)
            : ImapSubmissionProbe.ProbeSubmissionAsync(target.Backend, identity.ServerName, Schedule.Timeout, Time, cancellationToken);

    /// <summary>Every configured and parsable <c>Mail:Imap</c> and <c>Mail:Submission</c>, in configuration order.</summary>
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
