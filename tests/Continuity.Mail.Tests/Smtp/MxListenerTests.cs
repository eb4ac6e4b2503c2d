using System.Text;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Smtp;

/// <summary>The MX against a raw client: policy, limits and bad input. No backend is configured, so accepted mail stays spooled.</summary>
[Trait("Category", "Server")]
public sealed class MxListenerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("mx");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z"));
    private MailHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await MailHost.StartAsync(_dir.Path, new Dictionary<string, string?>
        {
            ["Mail:Limits:MaxMessageSize"] = "20000",
            ["Mail:Limits:MaxRecipients"] = "3",
            ["Mail:Limits:IdleTimeout"] = "00:00:30",
        }, _time);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ehlo_Always_AdvertisesSizePipeliningAnd8BitMime()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        var reply = await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("250 ", reply);
        Assert.Contains("SIZE 20000", reply);
        Assert.Contains("PIPELINING", reply);
        Assert.Contains("8BITMIME", reply);
    }

    [Theory]
    [InlineData("victim@elsewhere.example", "550 5.7.1")]
    [InlineData("alice@demo.test.evil.example", "550 5.7.1")]
    [InlineData("alice@sub.demo.test", "550 5.7.1")]
    [InlineData("\"alice@demo.test\"@evil.example", "550 5.7.1")]
    [InlineData("carol@demo.test", "550 5.1.1")]
    public async Task Rcpt_OutsideTenantsOrUnknown_IsRefused(string recipient, string expected)
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<s@sender.example>"));
        Assert.StartsWith(expected, await smtp.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("5", await smtp.CommandAsync("DATA")); // no valid recipients: nothing relayed
        Assert.Empty(_host.Queue.List());
    }

    [Fact]
    public async Task Data_WellFormed_Answers250OnlyOnceSpooledOnDisk()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<alice@demo.test>"));
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<BOB@demo.test>"));
        Assert.StartsWith("354", await smtp.CommandAsync("DATA"));
        var reply = await smtp.CommandAsync("Subject: hi\r\n\r\n..dotted line\r\nbody\r\n.");
        Assert.StartsWith("250 2.0.0", reply);

        var id = reply.Split(' ').Last();
        var file = Path.Combine(_dir.Path, "queue", id + ".msg");
        Assert.True(File.Exists(file));
        var text = File.ReadAllText(file);
        Assert.Contains("Received: from [127.0.0.1]", text);
        Assert.EndsWith("Subject: hi\r\n\r\n.dotted line\r\nbody", text);
        Assert.Equal(2, _host.Queue.Show(id)!.Recipients.Count);
    }

    [Fact]
    public async Task Mail_DeclaredSizeOverLimit_Is552()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("552", await smtp.CommandAsync("MAIL FROM:<s@sender.example> SIZE=20001"));
    }

    [Fact]
    public async Task Data_UndeclaredSizeOverLimit_Is552AndNothingSpooled()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        Assert.StartsWith("354", await smtp.CommandAsync("DATA"));
        var big = new StringBuilder("Subject: big\r\n\r\n");
        while (big.Length < 30_000)
        {
            big.Append("0123456789012345678901234567890123456789012345678901234567890123456789\r\n");
        }

        var reply = await smtp.CommandAsync(big + ".");
        Assert.StartsWith("552", reply);
        Assert.Empty(_host.Queue.List());
    }

    [Theory]
    [InlineData("Subject: x\r\n\r\nbare\nline feed", "550 5.6.0")]
    [InlineData("Subject: x\r\n\r\nnul \0 byte", "554 5.6.0")]
    public async Task Data_MalformedBytes_IsRefusedAndSessionGoesOn(string body, string expected)
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        await smtp.CommandAsync("DATA");
        Assert.StartsWith(expected, await smtp.CommandAsync(body + "\r\n."));
        Assert.StartsWith("250", await smtp.CommandAsync("RSET"));
        Assert.Empty(_host.Queue.List());
    }

    [Fact]
    public async Task Data_TenThousandCharacterLine_IsAcceptedUnchanged()
    {
        var line = new string('x', 10_000);
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        await smtp.CommandAsync("DATA");
        var reply = await smtp.CommandAsync($"Subject: long\r\n\r\n{line}\r\n.");
        Assert.StartsWith("250", reply);
        Assert.Contains(line, File.ReadAllText(Path.Combine(_dir.Path, "queue", reply.Split(' ').Last() + ".msg")));
    }

    [Fact]
    public async Task Command_TenThousandCharacters_GetsAnErrorAndTheServerStaysUp()
    {
        await using (var smtp = await RawSmtp.ConnectAsync(_host.Port))
        {
            // SmtpServer takes a long EHLO argument; a long unknown command is a syntax error.
            Assert.StartsWith("250", await smtp.CommandAsync("EHLO " + new string('a', 10_000)));
            Assert.StartsWith("5", await smtp.CommandAsync("X" + new string('a', 10_000)));
            Assert.StartsWith("5", await smtp.CommandAsync("MAIL FROM:<" + new string('a', 10_000) + "@sender.example>"));
        }

        await using var next = await RawSmtp.ConnectAsync(_host.Port);
        Assert.StartsWith("250", await next.CommandAsync("EHLO client.example"));
    }

    [Fact]
    public async Task Commands_PipelinedGarbage_GetErrorsThenClose()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.SendAsync("EHLO x\r\nGARBAGE\r\n\0\0\0\r\nMAIL FROM:<>\r\nRCPT TO:<x@evil.example>\r\nFOO BAR\r\nBAZ\r\nQUX\r\nQUUX\r\nXYZZY\r\n");
        Assert.StartsWith("250", await smtp.ReadReplyAsync());
        Assert.StartsWith("5", await smtp.ReadReplyAsync());
        Assert.StartsWith("5", await smtp.ReadReplyAsync());
        Assert.StartsWith("250", await smtp.ReadReplyAsync());
        Assert.StartsWith("550 5.7.1", await smtp.ReadReplyAsync());
        Assert.True(await smtp.IsClosedAsync());
        Assert.Empty(_host.Queue.List());
    }

    [Fact]
    public async Task Data_ClientStallsMidData_Gets421AndIsDisconnectedAfterIdleTimeout()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        await smtp.CommandAsync("DATA");
        await smtp.SendAsync("Subject: stalled\r\n\r\nhalf a mess");

        // The server's read timer starts when its read does, which this test cannot observe: advance the clock
        // until the reply comes (each step is past the idle timeout, so one step after the read began is enough).
        var reply = smtp.ReadReplyAsync();
        for (var step = 0; step < 100 && !reply.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(31));
            try
            {
                await reply.WaitAsync(TimeSpan.FromMilliseconds(100));
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.StartsWith("421 4.4.2", await reply);
        Assert.True(await smtp.IsClosedAsync());
        Assert.Empty(_host.Queue.List());
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "incoming")));
    }

    [Fact]
    public async Task Rcpt_MoreThanLimit_Is452()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        await smtp.CommandAsync("RCPT TO:<bob@demo.test>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        Assert.StartsWith("452 4.5.3", await smtp.CommandAsync("RCPT TO:<bob@demo.test>"));
    }

    [Fact]
    public async Task Data_SpoolUnwritable_Is451NotPermanent()
    {
        var queue = Path.Combine(_dir.Path, "queue");
        Directory.Delete(queue, recursive: true);
        await File.WriteAllTextAsync(queue, "a file where the queue directory should be");

        await using var smtp = await RawSmtp.ConnectAsync(_host.Port);
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<s@sender.example>");
        await smtp.CommandAsync("RCPT TO:<alice@demo.test>");
        await smtp.CommandAsync("DATA");
        Assert.StartsWith("451 4.3.0", await smtp.CommandAsync("Subject: x\r\n\r\nbody\r\n."));
    }
}
