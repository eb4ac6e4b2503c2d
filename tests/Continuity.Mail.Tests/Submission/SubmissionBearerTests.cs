using System.Text;
using Continuity.Mail.Imap;
using Continuity.Mail.Tests.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Mail.Tests.Submission;

/// <summary>
/// XOAUTH2 / OAUTHBEARER at the submission proxy through the <see cref="IBearerTokenValidator"/> seam (a stand-in for the
/// Identity part's validator; the gateway tests use real tokens): offered in EHLO, accepted with and without an initial
/// response, refused with 535 for a bad token, 501 for base64 garbage or a cancel, and a message body that looks like AUTH passes untouched.
/// </summary>
[Trait("Category", "Server")]
public sealed class SubmissionBearerTests(SubmissionTestBed bed) : IClassFixture<SubmissionTestBed>
{
    private Task<AccessHost> StartAsync() => AccessHost.StartWithBearerAsync(bed.Redis.ConnectionString, bed.Settings());

    [Fact]
    public async Task Send_XOAuth2PlainTextAndOAuthBearerAfterStartTls_DeliveredByRoutedProvider()
    {
        await using var host = await StartAsync();
        var first = "xoauth2-" + Guid.NewGuid();
        var second = "oauthbearer-" + Guid.NewGuid();

        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.None);
            Assert.Contains("XOAUTH2", client.AuthenticationMechanisms);
            Assert.Contains("OAUTHBEARER", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismOAuth2("alice@demo.test", "good-token"));
            await client.SendAsync(Message(first, "AUTH XOAUTH2 not-a-command-but-body-text"));
            await client.DisconnectAsync(true);
        }

        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=mail.demo.test" })
        {
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@demo.test", "good-token"));
            await client.SendAsync(Message(second, "hello"));
            await client.DisconnectAsync(true);
        }

        var one = await bed.PrimarySink.NextAsync();
        var two = await bed.PrimarySink.NextAsync();
        Assert.Contains(first, one.Text, StringComparison.Ordinal);
        Assert.Contains("AUTH XOAUTH2 not-a-command-but-body-text", one.Text, StringComparison.Ordinal);
        Assert.Contains(second, two.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_BadTokenGarbageAndCancel_Refused_ThenTwoStepXOAuth2Works()
    {
        await using var host = await StartAsync();
        await using var raw = await RawImap.ConnectAsync(host.SubmissionPort);
        Assert.StartsWith("220 ", await raw.ReadLineAsync());
        await raw.SendAsync("EHLO client.test\r\n");
        var ehlo = await raw.ReadUntilAsync("250 ");
        var bad = Convert.ToBase64String(Encoding.UTF8.GetBytes("user=alice@demo.test\u0001auth=Bearer stolen\u0001\u0001"));
        var good = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=alice@demo.test,\u0001auth=Bearer good-token\u0001\u0001"));

        await raw.SendAsync($"AUTH XOAUTH2 {bad}\r\n");
        var badAnswer = await raw.ReadLineAsync();
        await raw.SendAsync("AUTH OAUTHBEARER !!not-base64!!\r\n");
        var garbageAnswer = await raw.ReadLineAsync();
        // A new connection: the proxy closes one after MaxAuthFailuresPerConnection failures.
        await using var next = await RawImap.ConnectAsync(host.SubmissionPort);
        await next.ReadLineAsync();
        await next.SendAsync("EHLO client.test\r\n");
        await next.ReadUntilAsync("250 ");
        await next.SendAsync("AUTH XOAUTH2\r\n");
        var cancelChallenge = await next.ReadLineAsync();
        await next.SendAsync("*\r\n");
        var canceled = await next.ReadLineAsync();
        await next.SendAsync("AUTH OAUTHBEARER\r\n");
        var challenge = await next.ReadLineAsync();
        await next.SendAsync($"{good}\r\n");
        var twoStep = await next.ReadLineAsync();

        Assert.Contains(ehlo, l => l.EndsWith("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2", StringComparison.Ordinal));
        Assert.StartsWith("535", badAnswer, StringComparison.Ordinal);
        Assert.Equal("501 5.5.2 Cannot decode response", garbageAnswer);
        Assert.StartsWith("334", cancelChallenge, StringComparison.Ordinal);
        Assert.Equal("501 5.7.0 Authentication cancelled", canceled);
        Assert.StartsWith("334", challenge, StringComparison.Ordinal);
        Assert.StartsWith("235", twoStep, StringComparison.Ordinal);
    }

    private static MimeMessage Message(string marker, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@demo.test"));
        message.To.Add(MailboxAddress.Parse("friend@example.org"));
        message.Subject = marker;
        message.Body = new TextPart("plain") { Text = body + "\r\n" };
        return message;
    }
}
