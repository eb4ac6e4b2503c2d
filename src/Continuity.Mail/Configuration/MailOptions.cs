namespace Continuity.Mail.Configuration;

/// <summary>
/// The mail part's own settings, bound from <c>Continuity:Mail</c>. Ports and the listen address come
/// from <c>Continuity:Listeners</c>; tenants, domains and providers from <c>Continuity:Tenants</c>.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Continuity:Mail";

    /// <summary>
    /// Spool directory. Default <c>null</c>: <c>&lt;DataDir&gt;/spool</c>. It must be on a local file system that
    /// honours fsync: accepted mail lives only here until it is delivered.
    /// </summary>
    public string? SpoolDir { get; set; }

    /// <summary>Host name in the greeting, EHLO reply, Received headers and bounces. Default: the machine name.</summary>
    public string? ServerName { get; set; }

    public MxLimitsOptions Limits { get; set; } = new();

    public MxTlsOptions Tls { get; set; } = new();

    public RecipientPolicyOptions Recipients { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public ProbeOptions Probes { get; set; } = new();
}
