using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit.Net.Smtp;
using MimeKit;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>The gateway's MX and its queue operations over the admin API, with the primary mail backend down.</summary>
[Trait("Category", "Server")]
public sealed class QueueApiTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Queue_BackendDown_ListedRetriedDeletedAndTheDeletionAudited()
    {
        var smtpPort = FreePort.Next();
        var deadBackend = $"lmtp://127.0.0.1:{FreePort.Next()}";
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, smtpPort: smtpPort, primaryInbound: deadBackend);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var viewer = gateway.Client(DemoGateway.ViewerKey);

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("judge.colleague@example.org"));
            message.To.Add(MailboxAddress.Parse("alice@demo.test"));
            message.Subject = "hearing";
            message.Body = new TextPart("plain") { Text = "Tomorrow at 10." };
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        JsonNode? listed = null;
        await Eventually.TrueAsync(async () =>
        {
            listed = await JsonAsync(await ops.GetAsync("admin/api/queue?recipient=alice@demo.test"));
            return listed["messages"]!.AsArray().Count == 1 && listed["messages"]![0]!["recipients"]![0]!["attempts"]!.GetValue<int>() >= 1;
        }, TimeSpan.FromSeconds(20), "the message is queued after a failed delivery attempt");
        var id = listed!["messages"]![0]!["id"]!.GetValue<string>();
        var recipient = listed["messages"]![0]!["recipients"]![0]!;
        Assert.True(recipient["state"]?.GetValue<string>() == "pending", listed.ToJsonString());
        Assert.Contains("connect failed", recipient["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        var metrics = await ops.GetStringAsync("metrics");
        var status = JsonNode.Parse(await ops.GetStringAsync("health/status"))!;
        var retry = await ops.PostAsync($"admin/api/queue/{id}/retry", null);
        var viewerDelete = await viewer.DeleteAsync($"admin/api/queue/{id}");
        // The retry starts a delivery attempt at once; while it runs, a delete answers 409 "try again" (as a client would, retry).
        HttpResponseMessage delete = null!;
        await Eventually.TrueAsync(async () =>
        {
            delete = await ops.DeleteAsync($"admin/api/queue/{id}");
            return delete.StatusCode != HttpStatusCode.Conflict;
        }, TimeSpan.FromSeconds(20), "the delete is accepted once the retried attempt has ended");
        var after = await JsonAsync(await ops.GetAsync("admin/api/queue"));
        var audit = (await JsonAsync(await ops.GetAsync("admin/api/audit"))).AsArray();

        Assert.Contains("continuity_mail_queue_messages 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains(status["listeners"]!.AsArray(), l => l!["protocol"]!.GetValue<string>() == "smtp" && l["port"]!.GetValue<int>() == smtpPort);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerDelete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(0, after["count"]!.GetValue<int>());
        var record = Assert.Single(audit)!;
        Assert.Equal(("queue.deleted", "ops@demo.test"), (record["action"]!.GetValue<string>(), record["actor"]!.GetValue<string>()));
        Assert.Contains(id, record["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync($"admin/api/queue/{id}")).StatusCode);
    }

    [Fact]
    public async Task Queue_OtherTenantsAdmin_SeesNothingOfThisTenant()
    {
        var smtpPort = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, smtpPort: smtpPort, primaryInbound: $"lmtp://127.0.0.1:{FreePort.Next()}");
        using var other = gateway.Client(DemoGateway.OtherTenantKey);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("someone@example.org"));
            message.To.Add(MailboxAddress.Parse("bob@demo.test"));
            message.Body = new TextPart("plain") { Text = "x" };
            await smtp.SendAsync(message);
        }

        await Eventually.TrueAsync(async () => (await JsonAsync(await ops.GetAsync("admin/api/queue")))["messages"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(20), "the message is queued");
        var id = (await JsonAsync(await ops.GetAsync("admin/api/queue")))["messages"]![0]!["id"]!.GetValue<string>();

        Assert.Empty((await JsonAsync(await other.GetAsync("admin/api/queue")))["messages"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"admin/api/queue/{id}")).StatusCode);
    }

    [Fact]
    public async Task Queue_MessageToTwoTenants_EachAdminSeesAndDeletesOnlyTheirRecipient_TheOtherStillDelivered()
    {
        using var otherMailbox = DovecotServer.Start("queue-other", "bob@other.test");
        otherMailbox.Stop(); // both recipients wait in the queue
        var smtpPort = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, smtpPort: smtpPort, primaryInbound: $"lmtp://127.0.0.1:{FreePort.Next()}",
            customize: c => c["Tenants"]!["other"]!["Providers"]!["primary"] = new JsonObject { ["Mail"] = new JsonObject { ["Inbound"] = otherMailbox.LmtpUri } });
        using var demo = gateway.Client(DemoGateway.OpsKey);
        using var other = gateway.Client(DemoGateway.OtherTenantKey);
        var marker = Guid.NewGuid().ToString("N");
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("registry@example.org"));
            message.To.Add(MailboxAddress.Parse("alice@demo.test"));
            message.To.Add(MailboxAddress.Parse("bob@other.test"));
            message.Subject = marker;
            message.Body = new TextPart("plain") { Text = "Both courts." };
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        async Task<JsonNode> QueueOf(HttpClient admin) => await JsonAsync(await admin.GetAsync("admin/api/queue"));
        static bool Attempted(JsonNode queue) => queue["messages"]!.AsArray().Count == 1 && queue["messages"]![0]!["recipients"]![0]!["attempts"]!.GetValue<int>() >= 1;
        await Eventually.TrueAsync(async () => Attempted(await QueueOf(demo)) && Attempted(await QueueOf(other)),
            TimeSpan.FromSeconds(20), "both recipients failed a first delivery attempt");
        var demoView = await QueueOf(demo);
        var otherView = await QueueOf(other);
        var id = demoView["messages"]![0]!["id"]!.GetValue<string>();
        var demoShow = await demo.GetStringAsync($"admin/api/queue/{id}");

        var deleted = await demo.DeleteAsync($"admin/api/queue/{id}");
        var deletedBody = await deleted.Content.ReadAsStringAsync();
        var demoAfter = await QueueOf(demo);
        var demoShowAfter = await demo.GetAsync($"admin/api/queue/{id}");
        var demoRetryAfter = await demo.PostAsync($"admin/api/queue/{id}/retry", null);
        var otherAfter = await QueueOf(other);
        var audit = (await JsonAsync(await demo.GetAsync("admin/api/audit"))).AsArray();

        otherMailbox.Restart();
        var retried = await other.PostAsync($"admin/api/queue/{id}/retry", null);
        await Eventually.TrueAsync(() => otherMailbox.Count("bob@other.test", marker) == 1, TimeSpan.FromSeconds(20), "bob's copy is delivered after his admin's retry");
        await Eventually.TrueAsync(async () => (await QueueOf(other))["count"]!.GetValue<int>() == 0, TimeSpan.FromSeconds(20), "the message leaves the queue once bob has it");

        // Each admin sees one recipient, their own, and nothing of the other tenant (no address, no error).
        Assert.Equal("alice@demo.test", Assert.Single(demoView["messages"]![0]!["recipients"]!.AsArray())!["address"]!.GetValue<string>());
        Assert.Equal("bob@other.test", Assert.Single(otherView["messages"]![0]!["recipients"]!.AsArray())!["address"]!.GetValue<string>());
        Assert.DoesNotContain("other.test", demoView.ToJsonString() + demoShow, StringComparison.Ordinal);
        Assert.DoesNotContain("demo.test", otherView.ToJsonString(), StringComparison.Ordinal);
        // Deleting removes alice only; it is gone for demo's admin, and bob's admin still has bob's.
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("alice@demo.test", deletedBody, StringComparison.Ordinal);
        Assert.DoesNotContain("other.test", deletedBody, StringComparison.Ordinal);
        Assert.Equal(0, demoAfter["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, demoShowAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, demoRetryAfter.StatusCode);
        Assert.Equal(1, otherAfter["count"]!.GetValue<int>());
        Assert.Equal("pending", Assert.Single(otherAfter["messages"]![0]!["recipients"]!.AsArray())!["state"]!.GetValue<string>());
        var record = Assert.Single(audit)!;
        Assert.DoesNotContain("other.test", record["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, otherMailbox.Count("bob@other.test", marker));
    }
}
