namespace Continuity.Mail.Autoconfig;

/// <summary>
/// What a mail client is told: the tenant's mail host name and the gateway's ports, implicit TLS preferred
/// (RFC 8314), STARTTLS otherwise. Never a provider's host.
/// </summary>
internal sealed record MailClientEndpoints(string Host, int ImapPort, bool ImapTls, int SmtpPort, bool SmtpTls)
{
    /// <summary>Null when the tenant has no <c>Hosts:Mail</c> or the gateway runs no IMAP or submission port.</summary>
    public static MailClientEndpoints? For(TenantOptions tenant, ListenerOptions listeners, MailAccessOptions access)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(access);
        if (tenant.Hosts.Mail is not { Length: > 0 } host)
        {
            return null;
        }

        var (imap, imapTls) = listeners.Imaps > 0 ? (listeners.Imaps, true) : (listeners.Imap, false);
        var (smtp, smtpTls) = access.SubmissionsPort > 0 ? (access.SubmissionsPort, true) : (listeners.Submission, false);
        return imap > 0 && smtp > 0 ? new MailClientEndpoints(host, imap, imapTls, smtp, smtpTls) : null;
    }

    public string Port(bool imap) => (imap ? ImapPort : SmtpPort).ToString(CultureInfo.InvariantCulture);
}
