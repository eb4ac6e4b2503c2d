using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Cli;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit.Net.Imap;
using MimeKit;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>Mailbox sync as an admin sees it: status, sync now, lag on a failover request, metrics and CLI — two real Dovecots.</summary>
[Trait("Category", "Server")]
public sealed class SyncApiTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task AppendAsync(DovecotServer server, string user, int count)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", server.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(user, DovecotServer.UserPassword);
        for (var i = 0; i < count; i++)
        {
            var message = new MimeMessage { Subject = $"history {i}", MessageId = $"history-{i}@example.org" };
            message.From.Add(MailboxAddress.Parse("court@example.org"));
            message.To.Add(MailboxAddress.Parse(user));
            message.Body = new TextPart("plain") { Text = $"case file {i}" };
            await imap.Inbox.AppendAsync(new MailKit.AppendRequest(message));
        }

        await imap.DisconnectAsync(true);
    }

    [Fact]
    public async Task Sync_AliceHistoryOnPrimary_CopiedVisibleInApiMetricsCliAndOnHerFailoverRequest()
    {
        using var primary = DovecotServer.Start("primary", "alice@demo.test");
        using var sovereign = DovecotServer.Start("sovereign", "alice@demo.test");
        await AppendAsync(primary, "alice@demo.test", 3);
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, customize: c =>
        {
            c.MailOnly("primary", primary);
            c.MailOnly("sovereign", sovereign);
            c["Tenants"]!["demo"]!["Users"] = new JsonArray("alice@demo.test");
            c["Mail"] = new JsonObject { ["Sync"] = new JsonObject { ["PollInterval"] = "01:00:00", ["MaxLag"] = "02:00:00", ["Tenants"] = new JsonObject { ["demo"] = new JsonObject { ["Enabled"] = true } } } };
        });
        using var ops = gateway.Client(DemoGateway.OpsKey);

        JsonNode? state = null;
        await Eventually.TrueAsync(async () =>
        {
            var response = await ops.GetAsync("admin/api/tenants/demo/sync/alice@demo.test");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                using var run = await ops.PostAsync("admin/api/tenants/demo/sync/alice@demo.test/run", null);
                return false;
            }

            state = await JsonAsync(response);
            return state["totalCopied"]!.GetValue<int>() == 3;
        }, TimeSpan.FromSeconds(60), "alice's three messages are copied to the sovereign mailbox");
        var again = await ops.PostAsync("admin/api/tenants/demo/sync/alice@demo.test/run", null);
        var failover = await JsonAsync(await ops.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "sanctioned" }));
        var metrics = await ops.GetStringAsync("metrics");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var cli = await ContinuityCli.RunAsync(["sync", "status", "--tenant", "demo", "--url", gateway.BaseAddress.ToString(), "--api-key", DemoGateway.OpsKey], stdout, stderr);

        Assert.Equal(3, sovereign.Messages("alice@demo.test").Count);
        Assert.Null(state!["lastError"]);
        Assert.True(again.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, again.StatusCode.ToString());
        Assert.Equal("applied", failover["status"]!.GetValue<string>());
        Assert.InRange(failover["sovereignCopyLagSeconds"]!.GetValue<double>(), 0, 60);
        Assert.Contains("continuity_mailbox_sync_users{tenant=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Equal(0, cli);
        Assert.Contains("alice@demo.test  lag ", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, sovereign.Messages("alice@demo.test").Count);
    }

    [Fact]
    public async Task Sync_UnknownUserOrOtherTenant_404_400_403()
    {
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var other = gateway.Client(DemoGateway.OtherTenantKey);

        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("admin/api/tenants/demo/sync/bob@demo.test")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.PostAsync("admin/api/tenants/demo/sync/mallory@evil.test/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("admin/api/tenants/demo/sync")).StatusCode);
        Assert.Empty((await JsonAsync(await ops.GetAsync("admin/api/tenants/demo/sync"))).AsArray());
    }
}
