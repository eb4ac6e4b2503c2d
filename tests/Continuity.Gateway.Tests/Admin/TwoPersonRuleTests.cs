using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Accounts;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// Issue 16, item 6: with <c>Approvals = 2</c> one Operator could read any mailbox alone, by making an app password for
/// the user or by re-linking the user's identity with an import. Both now wait for a second admin, like route changes.
/// </summary>
[Trait("Category", "Server")]
public sealed class TwoPersonRuleTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task AppPassword_ForAnotherUser_PendingAndRefusedAtImapUntilASecondAdminApproves_Audited()
    {
        using var primary = DovecotServer.Start("twoperson", "alice@demo.test");
        var imapPort = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, approvals: 2, customize: c => c.ImapThrough(imapPort, ("primary", primary)));
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var second = gateway.Client(DemoGateway.SecondKey);

        var created = await ops.PostAsJsonAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords", new { label = "read alice" });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var password = body["password"]!.GetValue<string>();
        var request = body["request"]!["id"]!.GetValue<string>();
        var refusedBefore = await ImapLoginAsync(imapPort, password);
        var listed = JsonNode.Parse(await ops.GetStringAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords"))!.AsArray();
        var selfApproval = await ops.PostAsync($"admin/api/approvals/{request}/approve", null);
        var approved = await second.PostAsync($"admin/api/approvals/{request}/approve", null);
        var acceptedAfter = await ImapLoginAsync(imapPort, password);

        var other = JsonNode.Parse(await (await ops.PostAsJsonAsync("admin/api/tenants/demo/users/alice@demo.test/app-passwords", new { label = "rejected" })).Content.ReadAsStringAsync())!;
        var rejected = await second.PostAsync($"admin/api/approvals/{other["request"]!["id"]}/reject", null);
        var rejectedLogin = await ImapLoginAsync(imapPort, other["password"]!.GetValue<string>());
        var audit = JsonNode.Parse(await ops.GetStringAsync("admin/api/audit"))!.AsArray();

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal(("pending", "app_password"), (body["status"]!.GetValue<string>(), body["request"]!["kind"]!.GetValue<string>()));
        Assert.False(refusedBefore, "a pending app password must not open the mailbox");
        Assert.True(Assert.Single(listed)!["pending"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True(acceptedAfter, "the approved app password opens the mailbox");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.False(rejectedLogin, "a rejected app password never works");
        var requested = audit.Where(r => r!["action"]!.GetValue<string>() == "approval.requested").ToList();
        Assert.Equal(2, requested.Count);
        Assert.All(requested, r => Assert.Equal(("ops@demo.test", "alice@demo.test"), (r!["actor"]!.GetValue<string>(), r["user"]!.GetValue<string>())));
        var madeUsable = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "app_password.created")!;
        Assert.Equal("second@demo.test", madeUsable["actor"]!.GetValue<string>());
        Assert.Contains($"request {request} by ops@demo.test; approved by ops@demo.test, second@demo.test", madeUsable["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountImport_WithTwoPersonRule_LinksNothingUntilASecondAdminApproves_BadFileRefusedAtOnce()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString, c => c["Tenants"]!["demo"]!["Failover"]!["Approvals"] = 2);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        using var second = gateway.Client(DemoGateway.SecondKey);
        const string Csv = "email,provider,subject\nalice@demo.test,sovereign,s-alice\n";

        var posted = await ops.PostAsync("admin/api/tenants/demo/accounts/import", new StringContent(Csv, Encoding.UTF8, "text/csv"));
        var body = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
        var request = body["request"]!["id"]!.GetValue<string>();
        var before = await ops.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test");
        var selfApproval = await ops.PostAsync($"admin/api/approvals/{request}/approve", null);
        var approved = await second.PostAsync($"admin/api/approvals/{request}/approve", null);
        var after = JsonNode.Parse(await ops.GetStringAsync("admin/api/tenants/demo/accounts/alice@demo.test"))!;
        var bad = await ops.PostAsync("admin/api/tenants/demo/accounts/import", new StringContent("email,provider,subject\neve@evil.test,sovereign,x\n", Encoding.UTF8, "text/csv"));
        var audit = JsonNode.Parse(await ops.GetStringAsync("admin/api/audit"))!.AsArray();

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(("pending", 1), (body["status"]!.GetValue<string>(), body["rows"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.StartsWith("imported", JsonNode.Parse(await approved.Content.ReadAsStringAsync())!["decision"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("s-alice", Assert.Single(after["links"]!.AsArray())!["subject"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var imported = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "identity.links.imported")!;
        Assert.Equal("ops@demo.test", imported["actor"]!.GetValue<string>());
        Assert.Contains($"request {request}; approved by ops@demo.test, second@demo.test", imported["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(audit, r => r!["action"]!.GetValue<string>() == "approval.requested" && r["details"]!.GetValue<string>().Contains("account_import", StringComparison.Ordinal));
    }

    /// <summary>Whether the gateway's IMAP proxy accepts <paramref name="password"/> for alice (and the mailbox opens).</summary>
    private static async Task<bool> ImapLoginAsync(int port, string password)
    {
        using var imap = new ImapClient { Timeout = 30_000 };
        await imap.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        try
        {
            await imap.AuthenticateAsync("alice@demo.test", password);
        }
        catch (MailKit.Security.AuthenticationException)
        {
            return false;
        }

        var inbox = await imap.GetFolderAsync("INBOX");
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        await imap.DisconnectAsync(true);
        return true;
    }
}
