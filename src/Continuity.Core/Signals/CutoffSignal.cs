namespace Continuity.Core.Signals;

/// <summary>
/// Evidence that <see cref="Provider"/> stopped serving a user (or, with <see cref="User"/> null,
/// the whole tenant): an upstream login error, a backend refusing a mailbox, failed probes.
/// </summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="User">User address, or null for a tenant-wide signal.</param>
/// <param name="Provider">The provider that stopped serving.</param>
/// <param name="Source">Which part saw it: <c>identity</c>, <c>mx</c>, <c>imap</c>, <c>probe</c>, …</param>
/// <param name="Evidence">What was seen, for the audit log and the approver (e.g. <c>550 5.2.1 mailbox disabled</c>). No secrets.</param>
public sealed record CutoffSignal(string Tenant, string? User, string Provider, string Source, string Evidence);

/// <summary>What the tenant's policy made of a signal.</summary>
public enum CutoffSignalOutcome
{
    /// <summary>Policy <c>Off</c>: recorded in the audit log only.</summary>
    Recorded,

    /// <summary>Policy <c>Suggest</c>: a pending failover request waits for approval (or one already did).</summary>
    Suggested,

    /// <summary>Policy <c>Apply</c>: the route was changed.</summary>
    Applied,

    /// <summary>The user (or tenant) is not routed to that provider any more: nothing to do.</summary>
    NotRouted,

    /// <summary>The store is unreachable, or this node has not loaded its routes yet; the signal could not be acted on (it was logged).</summary>
    Unavailable,

    /// <summary>
    /// A tenant-wide signal whose target provider is down itself (its latest probe failed): recorded, no suggestion and no
    /// failover (see <see cref="WithheldSuggestions"/>). Probers raise it again on their next round, so the suggestion
    /// comes once the target is up again.
    /// </summary>
    TargetDown,
}

/// <summary>The one entry point other parts use to report a cut-off.</summary>
public interface ICutoffSignals
{
    Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default);
}
