using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;
using Continuity.Gateway.Tests.Mail;
using Continuity.Testing;
using MailKit.Net.Imap;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// Two gateway processes sharing one redis-server, two Dovecot backends: alice's and bob's IMAP sessions are proxied by
/// node B; alice's route is changed through node A's admin API; B ends alice's session with <c>* BYE</c> and a clear
/// text, bob's session on B stays open on primary, and alice, reconnecting to B with the same app password, sees the
/// sovereign mailbox.
/// </summary>
[Trait("Category", "Server")]
public sealed class ImapRouteChangeTests(ITestOutputHelper output) : MultiNodeTestBed(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RouteChangedThroughNodeA_AliceSessionOnNodeB_ByeThenReconnectSeesSovereign_BobStays()
    {
        // Arrange
        using var primary = DovecotServer.Start("primary", Alice, Bob);
        using var sovereign = DovecotServer.Start("sovereign", Alice, Bob);
        await TokenGateway.AppendAsync(primary, Alice, "alice on primary");
        await TokenGateway.AppendAsync(primary, Bob, "bob on primary");
        await TokenGateway.AppendAsync(sovereign, Alice, "alice on sovereign");
        var imapB = FreePort.Next();
        void Mail(ContinuityOptions o)
        {
            foreach (var (name, server) in new[] { ("primary", primary), ("sovereign", sovereign) })
            {
                o.Tenants[Tenant].Providers[name].Mail = new ProviderMailOptions
                {
                    Imap = server.ImapUri,
                    Login = new MailLoginOptions { Master = DovecotServer.MasterUser, MasterPassword = DovecotServer.MasterPassword },
                };
            }
        }

        var a = await StartNodeAsync("A", Redis.ConnectionString, Mail);
        var b = await StartNodeAsync("B", Redis.ConnectionString, o =>
        {
            Mail(o);
            o.Listeners.Imap = imapB;
        });
        await a.WaitSyncedAsync();
        await b.WaitSyncedAsync();
        var alicePassword = await AppPasswordAsync(a, Alice);
        var bobPassword = await AppPasswordAsync(a, Bob);

        using var aliceTcp = new TcpClient();
        await aliceTcp.ConnectAsync("127.0.0.1", imapB);
        using var aliceStream = aliceTcp.GetStream();
        using var aliceReader = new StreamReader(aliceStream, Encoding.ASCII);
        await aliceReader.ReadLineAsync();
        await aliceStream.WriteAsync(Encoding.ASCII.GetBytes($"A1 LOGIN {Alice} \"{alicePassword}\"\r\nA2 SELECT INBOX\r\n"));
        var beforeLines = await ReadUntilAsync(aliceReader, "A2 ");
        using var bob = new ImapClient();
        await bob.ConnectAsync("127.0.0.1", imapB, MailKit.Security.SecureSocketOptions.None);
        await bob.AuthenticateAsync(Bob, bobPassword);
        var bobBefore = await TokenGateway.InboxSubjectsAsync(bob);

        // Act
        await a.ChangeRouteAsync(Alice, "sovereign", "sanctions: provider closed the mailbox");
        using var wait = new CancellationTokenSource(Deadline);
        var bye = await aliceReader.ReadLineAsync(wait.Token);
        var afterBye = await aliceReader.ReadLineAsync(wait.Token);
        await bob.NoOpAsync();
        var bobAfter = await TokenGateway.InboxSubjectsAsync(bob);
        using var again = new ImapClient();
        await again.ConnectAsync("127.0.0.1", imapB, MailKit.Security.SecureSocketOptions.None);
        await again.AuthenticateAsync(Alice, alicePassword);
        var aliceAfter = await TokenGateway.InboxSubjectsAsync(again);

        // Assert
        Assert.Contains(beforeLines, l => l.StartsWith("A2 OK", StringComparison.Ordinal));
        Assert.Contains(beforeLines, l => l == "* 1 EXISTS");
        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox has moved to another server; please reconnect", bye);
        Assert.Null(afterBye);
        Assert.Equal(["bob on primary"], bobBefore);
        Assert.Equal(["bob on primary"], bobAfter);
        Assert.True(bob.IsConnected && bob.IsAuthenticated);
        Assert.Equal(["alice on sovereign"], aliceAfter);
    }

    private static async Task<string> AppPasswordAsync(GatewayProcess node, string user)
    {
        using var created = await node.Admin.PostAsJsonAsync($"admin/api/tenants/{Tenant}/users/{user}/app-passwords", new { label = "multi-node test" });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        return body["password"]?.GetValue<string>() ?? throw new InvalidOperationException($"{(int)created.StatusCode}: {body.ToJsonString()}");
    }

    private static async Task<List<string>> ReadUntilAsync(StreamReader reader, string tagged)
    {
        using var wait = new CancellationTokenSource(Deadline);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(wait.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(tagged, StringComparison.Ordinal))
            {
                break;
            }
        }

        return lines;
    }
}
