using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Continuity.Mail.Lmtp;
using Continuity.Mail.Tests.Support;

namespace Continuity.Mail.Tests.Lmtp;

/// <summary>The delivery client in SMTP mode (RFC 5321) against recorded server transcripts.</summary>
public sealed class SmtpModeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_SmtpTranscript_EhloPipelinesOneReplyAfterDotForAllAcceptedRecipients()
    {
        var server = """
            220 smtp.provider.example ESMTP
            250-smtp.provider.example
            250-SIZE 10240000
            250-PIPELINING
            250 8BITMIME
            250 2.1.0 Ok
            250 2.1.5 Ok
            550 5.7.1 <carol@demo.test> refused
            250 2.1.5 Ok
            354 End data with <CR><LF>.<CR><LF>
            250 2.0.0 Ok: queued as 4XyZ
            250 2.0.0 Reset

            """.ReplaceLineEndings("\r\n");
        var stream = new TranscriptStream(server);
        await using var client = await LmtpClient.HandshakeAsync(stream, DeliveryProtocol.Smtp, "mx.demo.test", Timeout, TimeProvider.System, CancellationToken.None);
        const string Message =
            "Subject: Grüße, bare 8-bit\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\r\n.starts with a dot\r\n.\r\nno closing boundary";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Message));

        var replies = await client.SendAsync("s@outside.example", ["alice@demo.test", "carol@demo.test", "bob@demo.test"], body, CancellationToken.None);

        Assert.Equal(["250 2.0.0 Ok: queued as 4XyZ", "550 5.7.1 <carol@demo.test> refused", "250 2.0.0 Ok: queued as 4XyZ"], replies.Select(r => r.ToString()));
        Assert.True(await client.ResetAsync(CancellationToken.None)); // the next reply was RSET's: exactly one was read after the dot
        Assert.Equal(
            "EHLO mx.demo.test\r\nMAIL FROM:<s@outside.example> BODY=8BITMIME\r\nRCPT TO:<alice@demo.test>\r\nRCPT TO:<carol@demo.test>\r\nRCPT TO:<bob@demo.test>\r\nDATA\r\n" +
            "Subject: Grüße, bare 8-bit\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\r\n..starts with a dot\r\n..\r\nno closing boundary\r\n.\r\n" +
            "RSET\r\n",
            stream.ClientWrote);
    }

    [Fact]
    public async Task Send_OldSmtpServer_FallsBackToHeloLockStepAndDataReplyAppliesToAll()
    {
        var server = """
            220 old.example SMTP
            502 5.5.2 Command not recognized
            250 old.example
            250 Ok
            250 Ok
            550 No such user
            250 Ok
            354 Go ahead
            451 4.3.0 Try again later

            """.ReplaceLineEndings("\r\n");
        var stream = new TranscriptStream(server);
        await using var client = await LmtpClient.HandshakeAsync(stream, DeliveryProtocol.Smtp, "mx.demo.test", Timeout, TimeProvider.System, CancellationToken.None);
        Assert.False(client.Pipelining);
        using var body = new MemoryStream("Subject: x\r\n\r\nbody"u8.ToArray());

        var replies = await client.SendAsync("", ["a@demo.test", "b@demo.test", "c@demo.test"], body, CancellationToken.None);

        Assert.Equal(["451 4.3.0 Try again later", "550 No such user", "451 4.3.0 Try again later"], replies.Select(r => r.ToString()));
        Assert.Equal(
            "EHLO mx.demo.test\r\nHELO mx.demo.test\r\nMAIL FROM:<>\r\nRCPT TO:<a@demo.test>\r\nRCPT TO:<b@demo.test>\r\nRCPT TO:<c@demo.test>\r\nDATA\r\n" +
            "Subject: x\r\n\r\nbody\r\n.\r\n",
            stream.ClientWrote);
    }

    [Fact]
    public async Task Send_SmtpEveryRecipientRefused_NoDataSentAndSessionReset()
    {
        var server = """
            220 smtp.example
            250-smtp.example
            250 PIPELINING
            250 2.1.0 Ok
            550 5.1.1 unknown
            554 5.5.1 No valid recipients
            250 2.0.0 Reset

            """.ReplaceLineEndings("\r\n");
        var stream = new TranscriptStream(server);
        await using var client = await LmtpClient.HandshakeAsync(stream, DeliveryProtocol.Smtp, "mx", Timeout, TimeProvider.System, CancellationToken.None);
        using var body = new MemoryStream("x"u8.ToArray());

        var replies = await client.SendAsync("s@outside.example", ["a@demo.test"], body, CancellationToken.None);

        Assert.Equal("550 5.1.1 unknown", Assert.Single(replies).ToString());
        Assert.True(client.IsHealthy);
        Assert.Equal("EHLO mx\r\nMAIL FROM:<s@outside.example>\r\nRCPT TO:<a@demo.test>\r\nDATA\r\nRSET\r\n", stream.ClientWrote);
    }

    [Fact]
    public async Task Connect_SmtpBackendOffersStartTlsWithUntrustedCertificate_RefusesInsteadOfFallingBackToPlaintext()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sink.provider.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), null);
        await using var sink = SmtpSink.StartWithTls(certificate);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            LmtpClient.ConnectAsync(new Uri(sink.Uri), "mx.demo.test", Timeout, Timeout, TimeProvider.System, CancellationToken.None));

        Assert.Empty(sink.Messages);
    }
}
