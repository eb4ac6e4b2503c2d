using MailKit.Net.Imap;
using MailKit.Security;

namespace Continuity.Mail.Tests.Imap;

/// <summary>STARTTLS, the implicit-TLS port, plain-text refusal off loopback, and STARTTLS injection.</summary>
[Trait("Category", "Server")]
public sealed class ImapTlsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task StartTls_BytesPipelinedBeforeHandshake_Discarded()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>());
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        Assert.StartsWith("* OK", await client.ReadLineAsync());

        await client.SendAsync("t1 STARTTLS\r\nt2 LOGIN injected@demo.test x\r\n");
        Assert.Equal("t1 OK Begin TLS negotiation now", await client.ReadLineAsync());
        await client.StartTlsAsync();
        await client.SendAsync("t3 NOOP\r\n");

        Assert.Equal("t3 OK NOOP completed", await client.ReadLineAsync());
    }

    [Fact]
    public async Task StartTls_AfterTls_RefusedAndSessionGoesOn()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>());
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();
        await client.SendAsync("t1 STARTTLS\r\n");
        await client.ReadLineAsync();
        await client.StartTlsAsync();

        await Transcript.ReplayAsync(client, """
            C: t2 STARTTLS
            S: t2 BAD TLS is already active
            C: t3 CAPABILITY
            S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID AUTH=PLAIN
            S: t3 OK CAPABILITY completed
            """);
    }

    [Fact]
    public async Task StartTls_HandshakeGarbage_ConnectionClosed()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>());
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();

        await client.SendAsync("t1 STARTTLS\r\n");
        Assert.Equal("t1 OK Begin TLS negotiation now", await client.ReadLineAsync());
        await client.SendAsync("t2 NOOP\r\nt3 LOGIN alice@demo.test secret\r\n");

        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task StartTls_NoCertificate_BadAndSessionGoesOn()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Mail:Access:Tls:CertificatePath"] = null,
            ["Listeners:Imaps"] = "0",
            ["Mail:Access:SubmissionsPort"] = "0",
        });
        await using var client = await RawImap.ConnectAsync(host.ImapPort);

        await Transcript.ReplayAsync(client, """
            S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID AUTH=PLAIN] Continuity IMAP ready
            C: t1 STARTTLS
            S: t1 BAD STARTTLS is not available
            C: t2 NOOP
            S: t2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task PlainText_OffLoopbackPolicy_LoginDisabledUntilTls()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?> { ["Mail:Access:AllowPlaintextOnLoopback"] = "false" });
        await using var client = await RawImap.ConnectAsync(host.ImapPort);

        await Transcript.ReplayAsync(client, """
            S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID STARTTLS LOGINDISABLED] Continuity IMAP ready
            C: p1 LOGIN alice@demo.test secret
            S: p1 NO [PRIVACYREQUIRED] Use STARTTLS before logging in
            C: p2 AUTHENTICATE PLAIN AGFsaWNlQGRlbW8udGVzdABzZWNyZXQ=
            S: p2 NO [PRIVACYREQUIRED] Use STARTTLS before authenticating
            C: p3 STARTTLS
            S: p3 OK Begin TLS negotiation now
            """);
        await client.StartTlsAsync();
        await Transcript.ReplayAsync(client, """
            C: p4 CAPABILITY
            S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID AUTH=PLAIN
            S: p4 OK CAPABILITY completed
            """);
    }

    [Fact]
    public async Task ImplicitTls_MailKit_ConnectsAndSeesAuthPlain()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?> { ["Mail:Access:AllowPlaintextOnLoopback"] = "false" });
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=mail.demo.test" };

        await client.ConnectAsync("127.0.0.1", host.ImapsPort, SecureSocketOptions.SslOnConnect);

        Assert.True(client.IsSecure);
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice@demo.test", "wrong"));
    }
}
