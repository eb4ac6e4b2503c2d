using System.Text;
using Continuity.Mail.Lmtp;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Lmtp;

[Trait("Category", "Server")]
public sealed class LmtpClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_Transcript_PipelinesAndReadsOneReplyPerAcceptedRecipient()
    {
        var server = """
            220 lmtp.example ready
            250-lmtp.example
            250-8BITMIME
            250-ENHANCEDSTATUSCODES
            250 PIPELINING
            250 2.1.0 OK
            250 2.1.5 OK
            550 5.1.1 <carol@demo.test> User doesn't exist
            250 2.1.5 OK
            354 OK
            250 2.0.0 <alice@demo.test> Saved
            452 4.2.2 <bob@demo.test> Quota exceeded

            """.ReplaceLineEndings("\r\n");
        var stream = new TranscriptStream(server);
        await using var client = await LmtpClient.HandshakeAsync(stream, DeliveryProtocol.Lmtp, "mx.demo.test", Timeout, TimeProvider.System, CancellationToken.None);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("Subject: t\r\n\r\n.starts with a dot\r\nend"));

        var replies = await client.SendAsync("s@outside.example", ["alice@demo.test", "carol@demo.test", "bob@demo.test"], body, CancellationToken.None);

        Assert.Equal(["250 2.0.0 <alice@demo.test> Saved", "550 5.1.1 <carol@demo.test> User doesn't exist", "452 4.2.2 <bob@demo.test> Quota exceeded"],
            replies.Select(r => r.ToString()));
        Assert.Equal(
            "LHLO mx.demo.test\r\nMAIL FROM:<s@outside.example> BODY=8BITMIME\r\nRCPT TO:<alice@demo.test>\r\nRCPT TO:<carol@demo.test>\r\nRCPT TO:<bob@demo.test>\r\nDATA\r\n" +
            "Subject: t\r\n\r\n..starts with a dot\r\nend\r\n.\r\n",
            stream.ClientWrote);
    }

    [Theory]
    [InlineData("220 ok\r\n250 lhlo\r\nnot a reply\r\n")]
    [InlineData("220 ok\r\n250 lhlo\r\n")]
    [InlineData("220 ok\r\n250 lhlo\r\n250 2.1.0 ")]
    public async Task Send_BrokenServer_ThrowsProtocolErrorNotHang(string server)
    {
        var stream = new TranscriptStream(server + (server.EndsWith(' ') ? new string('x', 10_000) : ""));
        await using var client = await LmtpClient.HandshakeAsync(stream, DeliveryProtocol.Lmtp, "mx", Timeout, TimeProvider.System, CancellationToken.None);
        using var body = new MemoryStream("x"u8.ToArray());
        await Assert.ThrowsAsync<LmtpProtocolException>(() => client.SendAsync("", ["a@demo.test"], body, CancellationToken.None));
        Assert.False(client.IsHealthy);
    }

    [Fact]
    public async Task Send_RealDovecot_KnownUserSavedUnknownUserRefused()
    {
        using var dovecot = DovecotServer.Start("lmtp-client", "alice@demo.test");
        await using var client = await LmtpClient.ConnectAsync(new Uri(dovecot.LmtpUri), "mx.demo.test", Timeout, Timeout, TimeProvider.System, CancellationToken.None);
        Assert.True(client.Pipelining);
        var marker = Guid.NewGuid().ToString("N");
        using var body = new MemoryStream(Encoding.UTF8.GetBytes($"Subject: {marker}\r\n\r\n.dot\r\nÜ 8bit"));

        var replies = await client.SendAsync("", ["alice@demo.test", "nobody@demo.test"], body, CancellationToken.None);

        Assert.Equal(250, replies[0].Code);
        Assert.Equal(550, replies[1].Code);
        Assert.StartsWith("5.1.1", replies[1].Text);
        var saved = Assert.Single(dovecot.Messages("alice@demo.test"));
        Assert.Contains($"Subject: {marker}\n\n.dot\nÜ 8bit", saved.ReplaceLineEndings("\n"));
        Assert.True(await client.ResetAsync(CancellationToken.None)); // reusable for the next message
    }
}
