using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>The gateway as a mail client sees it: an admin-issued app password, IMAP through the gateway, client set-up documents.</summary>
[Trait("Category", "Server")]
public sealed class MailAccessTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task AppPassword_IssuedByAdmin_ImapThroughGatewayReadsPrimaryThenRevokedIsRefused()
    {
        using var primary = DovecotServer.Start("primary", "alice@demo.test");
        using var sovereign = DovecotServer.Start("sovereign", "alice@demo.test");
        var imapPort = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, customize: c =>
        {
            c.ImapThrough(imapPort, ("primary", primary), ("sovereign", sovereign));
            c["Tenants"]!["demo"]!["Hosts"] = new JsonObject { ["Mail"] = "mail.demo.test" };
        });
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var viewer = gateway.Client(DemoGateway.ViewerKey);

        var created = await ops.PostAsJsonAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords", new { label = "Thunderbird at the court" });
        var viewerCreate = await viewer.PostAsJsonAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords", new { label = "x" });
        var noLabel = await ops.PostAsJsonAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords", new { label = "" });
        var stranger = await ops.PostAsJsonAsync("admin/api/tenants/demo/users/carol@demo.test/app-passwords", new { label = "x" });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var password = body["password"]!.GetValue<string>();
        var id = body["id"]!.GetValue<string>();

        using (var imap = new ImapClient())
        {
            await imap.ConnectAsync("127.0.0.1", imapPort, MailKit.Security.SecureSocketOptions.None);
            await imap.AuthenticateAsync("alice@demo.test", password);
            var inbox = await imap.GetFolderAsync("INBOX");
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(0, inbox.Count);
            await imap.DisconnectAsync(true);
        }

        var list = JsonNode.Parse(await ops.GetStringAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords"))!.AsArray();
        var revoked = await ops.DeleteAsync($"admin/api/tenants/demo/users/alice@demo.test/app-passwords/{id}");
        using var after = new ImapClient();
        await after.ConnectAsync("127.0.0.1", imapPort, MailKit.Security.SecureSocketOptions.None);
        var refused = await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => after.AuthenticateAsync("alice@demo.test", password));
        var audit = JsonNode.Parse(await ops.GetStringAsync("admin/api/audit"))!.AsArray().Select(r => r!["action"]!.GetValue<string>()).ToList();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerCreate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noLabel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        var listed = Assert.Single(list)!;
        Assert.Null(listed["secret"]);
        Assert.DoesNotContain(password, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(["app_password.created", "app_password.revoked"], audit);
    }

    [Fact]
    public async Task Autoconfig_TenantDomain_NamesTheGatewayHostsNeverAProvider()
    {
        var imapPort = FreePort.Next();
        var submissionPort = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, customize: c =>
        {
            c["Listeners"]!["Imap"] = imapPort;
            c["Listeners"]!["Submission"] = submissionPort;
            c["Tenants"]!["demo"]!["Hosts"] = new JsonObject { ["Mail"] = "mail.demo.test" };
            c["Tenants"]!["demo"]!["Providers"]!["primary"] = new JsonObject { ["Mail"] = new JsonObject { ["Imap"] = "imaps://outlook.office365.example:993", ["Login"] = new JsonObject { ["Master"] = "gateway", ["MasterPassword"] = "test-master-password" } } };
        });
        using var client = gateway.Client(bearer: null);

        var xml = await client.GetStringAsync("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice@demo.test");
        var unknown = await client.GetAsync("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice@elsewhere.test");

        var incoming = XDocument.Parse(xml).Descendants("incomingServer").First(e => (string?)e.Attribute("type") == "imap");
        Assert.Equal("mail.demo.test", incoming.Element("hostname")!.Value);
        Assert.Equal(imapPort.ToString(System.Globalization.CultureInfo.InvariantCulture), incoming.Element("port")!.Value);
        var outgoing = XDocument.Parse(xml).Descendants("outgoingServer").Single();
        Assert.Equal(("mail.demo.test", submissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (outgoing.Element("hostname")!.Value, outgoing.Element("port")!.Value));
        Assert.DoesNotContain("office365", xml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
