using System.Xml.Linq;

namespace Continuity.Mail.Autoconfig;

/// <summary>
/// Thunderbird's autoconfig document (<c>/.well-known/autoconfig/mail/config-v1.1.xml</c> and
/// <c>autoconfig.&lt;domain&gt;/mail/config-v1.1.xml</c>, clientConfig version 1.1). The Gateway maps the endpoints.
/// </summary>
public static class ThunderbirdAutoconfig
{
    /// <summary>The XML for <paramref name="domain"/>, or null when no tenant owns it or the ports are off (answer 404).</summary>
    public static string? Render(ContinuityOptions continuity, Proxy.MailAccessOptions access, string domain)
    {
        ArgumentNullException.ThrowIfNull(continuity);
        var tenant = continuity.Tenants.Values.FirstOrDefault(t => t.Domains.Exists(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)));
        if (tenant is null || MailClientEndpoints.For(tenant, continuity.Listeners, access) is not { } ep)
        {
            return null;
        }

        XElement Server(string element, string type, bool imap, bool tls) => new(element, new XAttribute("type", type),
            new XElement("hostname", ep.Host),
            new XElement("port", ep.Port(imap)),
            new XElement("socketType", tls ? "SSL" : "STARTTLS"),
            new XElement("authentication", "password-cleartext"),
            new XElement("username", "%EMAILADDRESS%"));

        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement("clientConfig", new XAttribute("version", "1.1"),
                new XElement("emailProvider", new XAttribute("id", domain.ToLowerInvariant()),
                    tenant.Domains.Select(d => new XElement("domain", d)),
                    new XElement("displayName", tenant.DisplayName ?? domain),
                    new XElement("displayShortName", tenant.DisplayName ?? domain),
                    Server("incomingServer", "imap", imap: true, ep.ImapTls),
                    Server("outgoingServer", "smtp", imap: false, ep.SmtpTls))));
        return document.Declaration + Environment.NewLine + document.ToString();
    }
}
