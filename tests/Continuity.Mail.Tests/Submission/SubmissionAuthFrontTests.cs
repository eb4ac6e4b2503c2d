using System.Text;
using Continuity.Mail.Tests.Imap;

namespace Continuity.Mail.Tests.Submission;

/// <summary>
/// Raw-socket transcripts of AUTH PLAIN / LOGIN at the submission proxy with bad SASL input: a cancel (<c>*</c>) gets
/// 501 5.7.0 (RFC 4954 section 4), undecodable base64 501 5.5.2, an overlong response 500 5.5.6; the session goes on,
/// the right password then works, and the message (with body lines that look like AUTH) arrives untouched.
/// </summary>
[Trait("Category", "Server")]
public sealed class SubmissionAuthFrontTests(SubmissionTestBed bed) : IClassFixture<SubmissionTestBed>
{
    private const string Cancelled = "501 5.7.0 Authentication cancelled";
    private const string Undecodable = "501 5.5.2 Cannot decode response";

    [Fact]
    public async Task AuthPlain_GarbageInitialResponseAndCancel_501_ThenPlainWorksAndMessageDelivered()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("alice@demo.test");
        await using var raw = await GreetAsync(host.SubmissionPort);

        var transcript = new List<string>
        {
            await SendAsync(raw, "AUTH PLAIN abc"),
            await SendAsync(raw, "AUTH PLAIN !!not-base64!!"),
            await SendAsync(raw, "AUTH PLAIN *"),
            await SendAsync(raw, "AUTH PLAIN"),
            await SendAsync(raw, "*"),
            await SendAsync(raw, "AUTH PLAIN"),
            await SendAsync(raw, "%%%%"),
            await SendAsync(raw, "AUTH PLAIN"),
            await SendAsync(raw, Plain("alice@demo.test", password)),
        };
        var marker = "plain-" + Guid.NewGuid();
        var accepted = await SendMessageAsync(raw, "alice@demo.test", marker);

        string[] expected = [Undecodable, Undecodable, Cancelled, "334 ", Cancelled, "334 ", Undecodable, "334 "];
        Assert.Equal(expected, transcript[..^1]);
        Assert.StartsWith("235", transcript[^1], StringComparison.Ordinal);
        Assert.StartsWith("250", accepted, StringComparison.Ordinal);
        var sunk = await bed.PrimarySink.NextAsync();
        Assert.Contains(marker, sunk.Text, StringComparison.Ordinal);
        Assert.Contains("AUTH PLAIN *", sunk.Text, StringComparison.Ordinal);
        Assert.Contains("AUTH LOGIN !!not-base64!!", sunk.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthLogin_GarbageUsernameAndCancels_501_ThenLoginWorksAndMessageDelivered()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("bob@demo.test");
        await using var raw = await GreetAsync(host.SubmissionPort);
        var user = B64("bob@demo.test");

        var transcript = new List<string>
        {
            await SendAsync(raw, "AUTH LOGIN"),
            await SendAsync(raw, "not base64 at all"),
            await SendAsync(raw, "AUTH LOGIN"),
            await SendAsync(raw, "*"),
            await SendAsync(raw, "AUTH LOGIN"),
            await SendAsync(raw, user),
            await SendAsync(raw, "*"),
            await SendAsync(raw, "AUTH LOGIN " + user),
            await SendAsync(raw, "=garbage"),
            await SendAsync(raw, "AUTH LOGIN abc"),
            await SendAsync(raw, "AUTH LOGIN"),
            await SendAsync(raw, user),
            await SendAsync(raw, B64(password)),
        };
        var marker = "login-" + Guid.NewGuid();
        var accepted = await SendMessageAsync(raw, "bob@demo.test", marker);

        string[] expected =
        [
            "334 VXNlcm5hbWU6", Undecodable, "334 VXNlcm5hbWU6", Cancelled, "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", Cancelled,
            "334 UGFzc3dvcmQ6", Undecodable, Undecodable, "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6",
        ];
        Assert.Equal(expected, transcript[..^1]);
        Assert.StartsWith("235", transcript[^1], StringComparison.Ordinal);
        Assert.StartsWith("250", accepted, StringComparison.Ordinal);
        Assert.Contains(marker, (await bed.PrimarySink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_OutOfOrderOverlongMalformedAndAfterStartTls_ClearErrors_SessionGoesOn()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("alice@demo.test");
        await using var raw = await RawImap.ConnectAsync(host.SubmissionPort);
        Assert.StartsWith("220 ", await raw.ReadLineAsync());
        var long64 = new string('A', 40_000);

        var beforeEhlo = await SendAsync(raw, "AUTH PLAIN abc");
        await raw.SendAsync("EHLO client.test\r\n");
        await raw.ReadUntilAsync("250 ");
        var mailFirst = await SendAsync(raw, "MAIL FROM:<alice@demo.test>");
        var afterMail = await SendAsync(raw, "AUTH PLAIN abc");
        var unknown = await SendAsync(raw, "AUTH CRAM-MD5");
        var overlongInitial = await SendAsync(raw, "AUTH PLAIN " + long64);
        await SendAsync(raw, "AUTH PLAIN");
        var overlongResponse = await SendAsync(raw, long64);
        var malformed = await SendAsync(raw, "AUTH PLAIN " + B64("no-nul-separators"));
        var noop = await SendAsync(raw, "NOOP");
        var starttls = await SendAsync(raw, "STARTTLS");
        await raw.StartTlsAsync();
        var secureGarbage = await SendAsync(raw, "AUTH PLAIN abc");
        var secureGood = await SendAsync(raw, "AUTH PLAIN " + Plain("alice@demo.test", password));
        var again = await SendAsync(raw, "AUTH PLAIN abc");

        // SmtpServer's state table refuses AUTH out of order with 501 "expected ..." before reading any response.
        Assert.StartsWith("501 expected", beforeEhlo, StringComparison.Ordinal);
        Assert.StartsWith("530", mailFirst, StringComparison.Ordinal);
        Assert.Equal(Undecodable, afterMail);
        Assert.Equal("504 5.5.4 Unrecognized authentication type", unknown);
        Assert.Equal("500 5.5.6 Authentication Exchange line is too long", overlongInitial);
        Assert.Equal("500 5.5.6 Authentication Exchange line is too long", overlongResponse);
        Assert.StartsWith("535", malformed, StringComparison.Ordinal);
        Assert.StartsWith("250", noop, StringComparison.Ordinal);
        Assert.StartsWith("220", starttls, StringComparison.Ordinal);
        Assert.Equal(Undecodable, secureGarbage);
        Assert.StartsWith("235", secureGood, StringComparison.Ordinal);
        Assert.StartsWith("501 expected", again, StringComparison.Ordinal);
    }

    private static async Task<RawImap> GreetAsync(int port)
    {
        var raw = await RawImap.ConnectAsync(port);
        Assert.StartsWith("220 ", await raw.ReadLineAsync());
        await raw.SendAsync("EHLO client.test\r\n");
        await raw.ReadUntilAsync("250 ");
        return raw;
    }

    /// <summary>Sends one line and returns the one reply line it gets.</summary>
    private static async Task<string> SendAsync(RawImap raw, string line)
    {
        await raw.SendAsync(line + "\r\n");
        return await raw.ReadLineAsync() ?? "(closed)";
    }

    /// <summary>MAIL, RCPT and DATA with body lines that look like AUTH; returns the reply to the final dot.</summary>
    private static async Task<string> SendMessageAsync(RawImap raw, string from, string marker)
    {
        Assert.StartsWith("250", await SendAsync(raw, $"MAIL FROM:<{from}>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await SendAsync(raw, "RCPT TO:<friend@example.org>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await SendAsync(raw, "DATA"), StringComparison.Ordinal);
        await raw.SendAsync($"From: <{from}>\r\nTo: <friend@example.org>\r\nSubject: {marker}\r\n\r\nAUTH PLAIN *\r\nAUTH LOGIN !!not-base64!!\r\n*\r\n");
        return await SendAsync(raw, ".");
    }

    private static string Plain(string user, string password) => B64("\0" + user + "\0" + password);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
