using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Continuity.Mail.Tests.Imap;

namespace Continuity.Mail.Tests.Submission;

/// <summary>Submission through the gateway: AUTH with an app password, sender checked, relayed to the routed provider's real Dovecot.</summary>
[Trait("Category", "Server")]
public sealed class SubmissionProxyTests(SubmissionTestBed bed) : IClassFixture<SubmissionTestBed>
{
    [Fact]
    public async Task Send_AppPassword_DeliveredByRoutedProviderThenByNewRoute()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("alice@demo.test");

        await SendAsync(host, "alice@demo.test", password, "alice@demo.test", "first-" + Guid.NewGuid());
        var first = await bed.PrimarySink.NextAsync();
        Assert.Equal("alice@demo.test", first.From);
        Assert.Equal(["friend@example.org"], first.To);

        host.Route(2, ("alice@demo.test", "sovereign"));
        var marker = "second-" + Guid.NewGuid();
        await SendAsync(host, "alice@demo.test", password, "alice@demo.test", marker);

        var second = await bed.SovereignSink.NextAsync();
        Assert.Contains(marker, second.Text, StringComparison.Ordinal);
        Assert.True(bed.PrimarySink.IsEmpty);
    }

    [Fact]
    public async Task Send_ForgedSender_Refused553()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("bob@demo.test");

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(host, "bob@demo.test", password, "ceo@demo.test", "forged"));

        Assert.Equal(SmtpStatusCode.MailboxNameNotAllowed, error.StatusCode);
        Assert.Contains("5.7.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithoutAuthOrWithWrongPassword_Refused()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        await using var raw = await RawImap.ConnectAsync(host.SubmissionPort);
        Assert.StartsWith("220 ", await raw.ReadLineAsync());
        await raw.SendAsync("EHLO client.test\r\n");
        var ehlo = await raw.ReadUntilAsync("250 ");
        Assert.Contains(ehlo, l => l.Contains("AUTH", StringComparison.Ordinal));
        await raw.SendAsync("MAIL FROM:<alice@demo.test>\r\n");
        Assert.StartsWith("530", await raw.ReadLineAsync());

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.None);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice@demo.test", "wrong-password"));
    }

    [Fact]
    public async Task Send_ImplicitTlsPort_Works()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("bob@demo.test");
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=mail.demo.test" };
        await client.ConnectAsync("127.0.0.1", host.SubmissionsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("bob@demo.test", password);
        var marker = "tls-" + Guid.NewGuid();

        await client.SendAsync(Message("bob@demo.test", marker));

        Assert.Contains(marker, (await bed.PrimarySink.NextAsync()).Text, StringComparison.Ordinal);
    }

    private static async Task SendAsync(AccessHost host, string user, string password, string from, string marker)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, password);
        await client.SendAsync(Message(from, marker));
        await client.DisconnectAsync(true);
    }

    private static MimeMessage Message(string from, string marker)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("friend@example.org"));
        message.Subject = marker;
        message.Body = new TextPart("plain") { Text = "Body " + marker };
        return message;
    }
}
