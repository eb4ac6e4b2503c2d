namespace Continuity.Mail.Probes;

/// <summary>
/// One provider's IMAP or submission backend as configured (<c>Tenants:{Tenant}:Providers:{Provider}:Mail:Imap</c>
/// or <c>…:Mail:Submission</c>), parsed as the proxy parses it (<see cref="BackendEndpoint"/>, default ports included).
/// </summary>
/// <param name="Kind"><c>imap</c> or <c>submission</c>, the kind shown in <c>/health/status</c> and <c>/metrics</c>.</param>
internal sealed record ImapSubmissionProbeTarget(string Tenant, string Provider, string Kind, BackendEndpoint Backend) : IProbeTarget
{
    /// <summary><c>host:port</c>, the target shown in <c>/health/status</c> and <c>/metrics</c>.</summary>
    public string Target => $"{Backend.Host}:{Backend.Port.ToString(CultureInfo.InvariantCulture)}";

    public string Description => $"{Kind} backend {Backend}";
}
