using System.Xml.Linq;
using Continuity.Core.Configuration;
using Continuity.Mail.Autoconfig;
using Continuity.Mail.Proxy;

namespace Continuity.Mail.Tests.Autoconfig;

public sealed class AutoconfigTests
{
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private static ContinuityOptions Options() => new()
    {
        Listeners = { Imap = 143, Imaps = 993, Submission = 587 },
        Tenants =
        {
            ["demo"] = new TenantOptions
            {
                DisplayName = "Demo Court",
                Domains = ["demo.test"],
                Hosts = { Mail = "mail.demo.test" },
                Providers = { ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "imaps://outlook.office365.com" } } },
            },
        },
    };

    [Fact]
    public void Thunderbird_TenantDomain_NamesGatewayHostAndPorts()
    {
        var xml = ThunderbirdAutoconfig.Render(Options(), new MailAccessOptions { SubmissionsPort = 465 }, "demo.test");

        var provider = XDocument.Parse(xml!).Root!.Element("emailProvider")!;
        Assert.Equal("1.1", XDocument.Parse(xml!).Root!.Attribute("version")!.Value);
        Assert.Equal("demo.test", provider.Element("domain")!.Value);
        var incoming = provider.Element("incomingServer")!;
        Assert.Equal(("imap", "mail.demo.test", "993", "SSL", "password-cleartext", "%EMAILADDRESS%"),
            (incoming.Attribute("type")!.Value, incoming.Element("hostname")!.Value, incoming.Element("port")!.Value, incoming.Element("socketType")!.Value, incoming.Element("authentication")!.Value, incoming.Element("username")!.Value));
        var outgoing = provider.Element("outgoingServer")!;
        Assert.Equal(("smtp", "mail.demo.test", "465", "SSL"), (outgoing.Attribute("type")!.Value, outgoing.Element("hostname")!.Value, outgoing.Element("port")!.Value, outgoing.Element("socketType")!.Value));
        Assert.DoesNotContain("office365", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Thunderbird_NoImplicitTls_StartTlsPorts_UnknownDomainNull()
    {
        var options = Options();
        options.Listeners.Imaps = 0;
        var xml = ThunderbirdAutoconfig.Render(options, new MailAccessOptions(), "DEMO.test")!;

        var incoming = XDocument.Parse(xml).Root!.Element("emailProvider")!.Element("incomingServer")!;
        Assert.Equal(("143", "STARTTLS"), (incoming.Element("port")!.Value, incoming.Element("socketType")!.Value));
        Assert.Null(ThunderbirdAutoconfig.Render(options, new MailAccessOptions(), "other.test"));
    }

    [Fact]
    public void Outlook_PoxRequest_SettingsForTheAddress()
    {
        const string request = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request><EMailAddress>alice@demo.test</EMailAddress>
              <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request>
            </Autodiscover>
            """;
        var address = OutlookAutodiscover.ReadRequestAddress(request)!;

        var xml = OutlookAutodiscover.Render(Options(), new MailAccessOptions { SubmissionsPort = 465 }, address)!;

        var account = XDocument.Parse(xml).Descendants(Ns + "Account").Single();
        Assert.Equal(("email", "settings"), (account.Element(Ns + "AccountType")!.Value, account.Element(Ns + "Action")!.Value));
        var protocols = account.Elements(Ns + "Protocol").ToDictionary(p => p.Element(Ns + "Type")!.Value);
        Assert.Equal(("mail.demo.test", "993", "alice@demo.test", "on", "off"), (protocols["IMAP"].Element(Ns + "Server")!.Value, protocols["IMAP"].Element(Ns + "Port")!.Value, protocols["IMAP"].Element(Ns + "LoginName")!.Value, protocols["IMAP"].Element(Ns + "SSL")!.Value, protocols["IMAP"].Element(Ns + "SPA")!.Value));
        Assert.Equal(("mail.demo.test", "465"), (protocols["SMTP"].Element(Ns + "Server")!.Value, protocols["SMTP"].Element(Ns + "Port")!.Value));
    }

    [Fact]
    public void Outlook_BadRequests_Null()
    {
        Assert.Null(OutlookAutodiscover.ReadRequestAddress("<not xml"));
        Assert.Null(OutlookAutodiscover.ReadRequestAddress("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a><EMailAddress>&e;</EMailAddress></a>"));
        Assert.Null(OutlookAutodiscover.ReadRequestAddress(new string('x', 20_000)));
        Assert.Null(OutlookAutodiscover.Render(Options(), new MailAccessOptions(), "mallory@evil.test"));
    }
}
