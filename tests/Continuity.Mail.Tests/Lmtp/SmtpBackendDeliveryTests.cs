using System.Text;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Lmtp;

/// <summary>Delivery through the MX to providers whose inbound backend is <c>smtp://</c>: a real SMTP server (SmtpServer) keeps the raw bytes.</summary>
[Trait("Category", "Server")]
public sealed class SmtpBackendDeliveryTests
{
    [Fact]
    public async Task Deliver_MalformedMimeToSmtpBackend_ArrivesByteIdenticalAfterTheReceivedAndSpoolIdHeaders()
    {
        await using var sink = SmtpSink.Start();
        await using var host = await MailHost.StartAsync(Mailer.Providers(sink.Uri, sink.Uri));
        host.Route(1);
        var sent = MalformedMessage();

        await SendRawAsync(host.Port, "sender@outside.example", ["alice@demo.test"], sent);
        await host.WaitForEmptyQueueAsync();

        var (_, from, to, data) = Assert.Single(sink.Messages);
        Assert.Equal(("sender@outside.example", "alice@demo.test"), (from, Assert.Single(to)));
        // SmtpServer (the MX and the sink alike) hands over DATA without the CRLF that ends its last line, the one
        // before the final dot; on the wire both sides carry exactly the sent bytes.
        var message = sent[..^2];
        var prefix = data.Length - message.Length;
        Assert.True(prefix > 0 && data.AsSpan(prefix).SequenceEqual(message), Mismatch(data, message));
        var received = Encoding.ASCII.GetString(data, 0, prefix);
        Assert.StartsWith("Received: from [127.0.0.1]\r\n\tby mx.demo.test (Continuity)", received);
        var lines = received.Split("\r\n");
        Assert.Matches(@"^X-Continuity-Spool-Id: [0-9a-f]{12}-[0-9a-f]{10}$", lines[^2]); // what recovery and sync look for
        Assert.All(lines[1..^2], line => Assert.StartsWith("\t", line)); // Received folded; nothing else added
        Assert.EndsWith("\r\n", received);
    }

    [Fact]
    public async Task Deliver_RecipientRefusedAtRcpt_FailsOnceWithoutRetryOthersDelivered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sink = SmtpSink.Start("bob@demo.test");
        await using var host = await MailHost.StartAsync(Mailer.Providers(sink.Uri, sink.Uri), time);
        host.Route(1);

        var marker = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        // Time stands still, so a deferred bob would keep the message queued: an empty queue means bob failed for
        // good on the first attempt (the bounce to the outside sender has no relay and is dropped).
        await host.WaitForEmptyQueueAsync();

        var (_, _, to, data) = Assert.Single(sink.Messages);
        Assert.Equal("alice@demo.test", Assert.Single(to));
        Assert.Contains(marker, Encoding.UTF8.GetString(data), StringComparison.Ordinal);
        Assert.Equal(1, sink.RcptCount("bob@demo.test"));
        Assert.Equal(1, sink.RcptCount("alice@demo.test"));
        Assert.Empty(host.Queue.List());
        Assert.Empty(host.Signals.Raised); // 5.7.1 is a refusal, not a disabled mailbox
    }

    [Fact]
    public async Task Deliver_TwoMessagesInTurn_ReuseOnePooledSmtpConnection()
    {
        await using var sink = SmtpSink.Start();
        await using var host = await MailHost.StartAsync(Mailer.Providers(sink.Uri, sink.Uri));
        host.Route(1);

        await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test");
        await host.WaitForEmptyQueueAsync();
        await Mailer.SendAsync(host.Port, "sender@outside.example", "bob@demo.test");
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(2, sink.Messages.Count);
        Assert.Equal(sink.Messages[0].Session, sink.Messages[1].Session); // the second went over the first's connection, after RSET
    }

    /// <summary>
    /// What MimeKit would "repair": no closing boundary, raw 8-bit (Latin-1 and UTF-8) in headers, an unfolded
    /// 1500-character header, a 5000-character body line, broken base64, lines that need dot-stuffing.
    /// </summary>
    private static byte[] MalformedMessage()
    {
        var text = new StringBuilder()
            .Append("From: Sender <sender@outside.example>\r\n")
            .Append("To: alice@demo.test\r\n")
            .Append("Subject: Grüße aus Köln\r\n")
            .Append("X-Latin1: caf\u00e9 cr\u00e8me\r\n")
            .Append("X-Long: ").Append('h', 1500).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"outer\"\r\n")
            .Append("\r\n")
            .Append("preamble\r\n")
            .Append("--outer\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("\r\n")
            .Append('x', 5000).Append("\r\n")
            .Append(".leading dot\r\n")
            .Append(".\r\n")
            .Append("--outer\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n")
            .Append("\r\n")
            .Append("this is !!! not base64\r\n")
            .ToString();
        var bytes = Encoding.UTF8.GetBytes(text);
        var latin1 = Encoding.UTF8.GetBytes("caf\u00e9 cr\u00e8me");
        var at = bytes.AsSpan().IndexOf(latin1);
        var raw = Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me"); // a bare 8-bit byte that is not UTF-8
        return [.. bytes[..at], .. raw, .. bytes[(at + latin1.Length)..]];
    }

    private static string Mismatch(byte[] delivered, byte[] sent)
    {
        var tail = delivered.AsSpan(Math.Max(0, delivered.Length - sent.Length));
        var at = tail.CommonPrefixLength(sent);
        var near = Encoding.Latin1.GetString(tail[Math.Max(0, at - 20)..Math.Min(tail.Length, at + 20)]);
        return $"delivered {delivered.Length} bytes, sent {sent.Length}; the last {sent.Length} delivered bytes differ at {at}: \"{near}\"";
    }

    /// <summary>Sends <paramref name="message"/> byte for byte (dot-stuffed on the wire) and expects 250 at the end of DATA.</summary>
    private static async Task SendRawAsync(int port, string from, string[] to, byte[] message)
    {
        await using var smtp = await RawSmtp.ConnectAsync(port);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.outside.example"));
        Assert.StartsWith("250", await smtp.CommandAsync($"MAIL FROM:<{from}>"));
        foreach (var recipient in to)
        {
            Assert.StartsWith("250", await smtp.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await smtp.CommandAsync("DATA"));
        var stuffed = new MemoryStream();
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == '.')
            {
                stuffed.WriteByte((byte)'.');
            }

            stuffed.WriteByte(b);
            lineStart = b == '\n';
        }

        await smtp.SendAsync([.. stuffed.ToArray(), .. ".\r\n"u8]);
        Assert.StartsWith("250", await smtp.ReadReplyAsync());
    }
}
