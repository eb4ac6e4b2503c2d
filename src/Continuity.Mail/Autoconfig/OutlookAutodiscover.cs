using System.Xml.Linq;

namespace Continuity.Mail.Autoconfig;

/// <summary>
/// Outlook's POX Autodiscover answer (<c>POST /autodiscover/autodiscover.xml</c>, response schema 2006a) naming
/// the gateway's IMAP and SMTP endpoints. The Gateway reads <c>EMailAddress</c> from the request and maps the endpoint.
/// </summary>
public static class OutlookAutodiscover
{
    private static readonly XNamespace Outer = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    private static readonly XNamespace Inner = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private const int MaxRequestLength = 16 * 1024;

    /// <summary>The address in a POX request body, or null when the body is not one (bounded; no DTDs).</summary>
    public static string? ReadRequestAddress(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > MaxRequestLength)
        {
            return null;
        }

        try
        {
            using var reader = System.Xml.XmlReader.Create(new StringReader(body), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader).Descendants().FirstOrDefault(e => e.Name.LocalName == "EMailAddress")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The response XML for <paramref name="address"/>, or null when no tenant owns it (answer 404).</summary>
    public static string? Render(ContinuityOptions continuity, Proxy.MailAccessOptions access, string address)
    {
        ArgumentNullException.ThrowIfNull(continuity);
        var tenant = continuity.Tenants.Values.FirstOrDefault(t => t.OwnsAddress(address ?? ""));
        if (tenant is null || MailClientEndpoints.For(tenant, continuity.Listeners, access) is not { } ep)
        {
            return null;
        }

        XElement Protocol(string type, bool imap, bool tls) => new(Inner + "Protocol",
            new XElement(Inner + "Type", type),
            new XElement(Inner + "Server", ep.Host),
            new XElement(Inner + "Port", ep.Port(imap)),
            new XElement(Inner + "LoginName", address),
            new XElement(Inner + "DomainRequired", "off"),
            new XElement(Inner + "SPA", "off"),
            new XElement(Inner + "SSL", "on"),
            new XElement(Inner + "Encryption", tls ? "SSL" : "TLS"),
            new XElement(Inner + "AuthRequired", "on"));

        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Outer + "Autodiscover",
                new XElement(Inner + "Response",
                    new XElement(Inner + "Account",
                        new XElement(Inner + "AccountType", "email"),
                        new XElement(Inner + "Action", "settings"),
                        Protocol("IMAP", imap: true, ep.ImapTls),
                        Protocol("SMTP", imap: false, ep.SmtpTls)))));
        return document.Declaration + Environment.NewLine + document.ToString();
    }
}
