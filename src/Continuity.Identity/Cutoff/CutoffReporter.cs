using Continuity.Core.Audit;
using Continuity.Core.Signals;

namespace Continuity.Identity.Cutoff;

/// <summary>
/// Classifies an upstream refusal and tells Core: a per-user cut-off becomes a signal for that user,
/// a tenant-wide one a signal for the tenant, a policy block an audit record. Transient and ordinary
/// failures are only logged.
/// </summary>
internal sealed partial class CutoffReporter(CutoffClassifier classifier, ICutoffSignals signals, AuditLog audit, ILogger<CutoffReporter> logger)
{
    public async Task<CutoffClass> ReportAsync(string tenant, string provider, string? user, UpstreamError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = classifier.Classify(error);
        var evidence = Evidence(error, kind);
        Log.UpstreamRefused(logger, tenant, provider, kind, evidence);
        switch (kind)
        {
            case CutoffClass.PerUser when user is not null:
                await signals.RaiseAsync(new CutoffSignal(tenant, user, provider, "identity", evidence), cancellationToken);
                break;
            case CutoffClass.Tenant:
                await signals.RaiseAsync(new CutoffSignal(tenant, null, provider, "identity", evidence), cancellationToken);
                break;
            case CutoffClass.Policy:
                await audit.AppendAsync(new AuditEntry("signal:identity", "identity.policy_block", tenant, user, provider, null,
                    "the upstream's policy refused the sign-in", "evidence: " + evidence), cancellationToken);
                break;
        }

        return kind;
    }

    /// <summary>What goes into the signal and the audit log: the upstream's own words, never a token or a code.</summary>
    internal static string Evidence(UpstreamError error, CutoffClass kind)
    {
        var codes = error.Codes.Count > 0 ? " codes " + string.Join(",", error.Codes) : "";
        var description = error.Description is { Length: > 0 } d ? ": " + d.ReplaceLineEndings(" ") : "";
        return $"{kind} at upstream {error.Where} endpoint: {error.Error}{codes}{description}";
    }
}
