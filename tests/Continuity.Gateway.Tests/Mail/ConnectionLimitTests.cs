using System.Diagnostics;
using System.Globalization;
using System.Net;
using Continuity.Gateway.Tests.Support;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>
/// One client must not be able to stop the gateway's mail or sign-in: idle connections from one address beyond the cap
/// are refused with a protocol answer while other addresses are served, a client silent before MAIL is closed, and
/// floods of logins, token requests and admin calls get 429. All over raw sockets to the running executable.
/// </summary>
[Trait("Category", "Server")]
public sealed class ConnectionLimitTests(LimitedGatewayFixture gateway) : IClassFixture<LimitedGatewayFixture>
{
    private static IPAddress Loopback(int last) => new([127, 0, 0, (byte)last]);

    [Fact]
    public async Task Mx_IdleConnectionsUpToTheCapFromOneAddress_NextGets421AndAnotherAddressIsStillGreeted()
    {
        await using var cap = await FillCapAsync(gateway.SmtpPort, "220 ");

        await cap.Held[0].DisposeAsync();
        cap.Held.RemoveAt(0);
        string? again = null;
        await Continuity.Testing.Eventually.TrueAsync(async () =>
        {
            await using var retry = await RawLineClient.ConnectAsync(Loopback(1), gateway.SmtpPort);
            again = await retry.ReadLineAsync();
            return again?.StartsWith("220 ", StringComparison.Ordinal) == true;
        }, TimeSpan.FromSeconds(10), "a place freed by a closed connection is given to the next client from that address");

        Assert.True(cap.OpenedWithin < LimitedGatewayFixture.BeforeMail, $"the connections took {cap.OpenedWithin} to open: the idle timeout may have freed places (inconclusive)");
        Assert.Equal("421 4.7.0 Too many connections from your address, try again later", cap.Refusal);
        Assert.Null(cap.AfterRefusal); // and closed
        Assert.StartsWith("220 ", cap.OtherGreeting);
    }

    [Fact]
    public async Task Mx_SilentBeforeMail_Gets421AndIsClosedAfterTheShortTimeout_ButNotOnceMailWasGiven()
    {
        await using var silent = await RawLineClient.ConnectAsync(Loopback(3), gateway.SmtpPort);
        await using var sender = await RawLineClient.ConnectAsync(Loopback(3), gateway.SmtpPort);
        Assert.StartsWith("220 ", await silent.ReadLineAsync());
        var clock = Stopwatch.StartNew();
        Assert.StartsWith("220 ", await sender.ReadLineAsync());
        await sender.SendAsync("EHLO client.example.org\r\n");
        while (await sender.ReadLineAsync() is { } ehlo && ehlo.StartsWith("250-", StringComparison.Ordinal))
        {
        }

        await sender.SendAsync("MAIL FROM:<someone@example.org>\r\n");
        Assert.StartsWith("250", await sender.ReadLineAsync());

        var timeout = await silent.ReadLineAsync(TimeSpan.FromSeconds(60));
        var closedAfter = clock.Elapsed;
        var afterTimeout = await silent.ReadLineAsync();
        // The sender has now been silent about as long as the silent client: after MAIL the full idle timeout applies.
        var senderSaid = await Record.ExceptionAsync(() => sender.ReadLineAsync(TimeSpan.FromSeconds(2)));
        await sender.SendAsync("RCPT TO:<alice@demo.test>\r\n");
        var rcpt = await sender.ReadLineAsync();

        Assert.Equal("421 4.4.2 Idle timeout, closing connection", timeout);
        Assert.Null(afterTimeout);
        Assert.True(closedAfter > LimitedGatewayFixture.BeforeMail - TimeSpan.FromSeconds(1), $"closed after {closedAfter}, before the timeout");
        Assert.IsAssignableFrom<OperationCanceledException>(senderSaid);
        Assert.StartsWith("250", rcpt);
    }

    [Fact]
    public async Task Imap_ConnectionsNotLoggedInUpToTheCapFromOneAddress_NextGetsByeAndAnotherAddressIsStillGreeted()
    {
        await using var cap = await FillCapAsync(gateway.ImapPort, "* OK ");

        Assert.True(cap.OpenedWithin < LimitedGatewayFixture.BeforeMail, $"the connections took {cap.OpenedWithin} to open: the login timeout may have freed places (inconclusive)");
        Assert.Equal("* BYE Too many connections from your address; try again later", cap.Refusal);
        Assert.Null(cap.AfterRefusal);
        Assert.StartsWith("* OK ", cap.OtherGreeting);
    }

    [Fact]
    public async Task Submission_ConnectionsUpToTheCapFromOneAddress_NextGets421AndAnotherAddressIsStillGreeted()
    {
        await using var cap = await FillCapAsync(gateway.SubmissionPort, "220 ");

        Assert.Equal("421 4.7.0 Too many connections from your address, try again later", cap.Refusal);
        Assert.Null(cap.AfterRefusal);
        Assert.StartsWith("220 ", cap.OtherGreeting);
    }

    [Theory]
    [InlineData("POST", "/login", "login.demo.test", 4, "text/plain")]
    [InlineData("POST", "/connect/token", "login.demo.test", 5, "application/problem+json")]
    [InlineData("GET", "/admin/api/tenants/demo/routes", "127.0.0.1", 6, "application/problem+json")]
    public async Task RateLimit_MoreRequestsThanTheLimitFromOneAddress_429WithRetryAfter_OtherAddressServed(string method, string path, string host, int address, string contentType)
    {
        var answers = new List<string>();
        for (var i = 0; i <= LimitedGatewayFixture.Cap; i++)
        {
            answers.Add(await HttpAsync(Loopback(address), method, path, host));
        }

        var other = await HttpAsync(Loopback(address + 10), method, path, host);

        Assert.All(answers.Take(LimitedGatewayFixture.Cap), a => Assert.DoesNotContain(" 429 ", a.Split('\n')[0], StringComparison.Ordinal));
        var limited = answers[^1];
        Assert.StartsWith("HTTP/1.1 429 ", limited);
        var retryAfter = limited.Split('\n').Single(l => l.StartsWith("Retry-After:", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(int.Parse(retryAfter["Retry-After:".Length..].Trim(), CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains($"Content-Type: {contentType}", limited, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Try again in", limited, StringComparison.Ordinal);
        Assert.DoesNotContain(" 429 ", other.Split('\n')[0], StringComparison.Ordinal);
    }

    /// <summary>
    /// Opens <see cref="LimitedGatewayFixture.Cap"/> connections to <paramref name="port"/> from 127.0.0.1 (each greeted
    /// with <paramref name="greeting"/>) and holds them, then one more from there and one from 127.0.0.2.
    /// </summary>
    private static async Task<CapFilled> FillCapAsync(int port, string greeting)
    {
        var clock = Stopwatch.StartNew();
        var cap = new CapFilled();
        try
        {
            for (var i = 0; i < LimitedGatewayFixture.Cap; i++)
            {
                cap.Held.Add(await RawLineClient.ConnectAsync(Loopback(1), port));
                Assert.StartsWith(greeting, await cap.Held[^1].ReadLineAsync());
            }

            await using var refused = await RawLineClient.ConnectAsync(Loopback(1), port);
            cap.Refusal = await refused.ReadLineAsync();
            cap.AfterRefusal = await refused.ReadLineAsync();
            await using var other = await RawLineClient.ConnectAsync(Loopback(2), port);
            cap.OtherGreeting = await other.ReadLineAsync();
            cap.OpenedWithin = clock.Elapsed;
            return cap;
        }
        catch
        {
            await cap.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connections held up to the cap, and what the one past it and the one from another address were told.</summary>
    private sealed class CapFilled : IAsyncDisposable
    {
        public List<RawLineClient> Held { get; } = [];

        public string? Refusal { get; set; }

        /// <summary>The line after the refusal: null when the gateway closed the connection.</summary>
        public string? AfterRefusal { get; set; }

        public string? OtherGreeting { get; set; }

        /// <summary>How long opening them all took (the cap test is inconclusive once the idle timeout could free places).</summary>
        public TimeSpan OpenedWithin { get; set; }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in Held)
            {
                await client.DisposeAsync();
            }
        }
    }

    private async Task<string> HttpAsync(IPAddress source, string method, string path, string host)
    {
        await using var client = await RawLineClient.ConnectAsync(source, gateway.HttpPort);
        var body = method == "POST" ? "address=nobody%40demo.test&grant_type=password" : "";
        await client.SendAsync(
            $"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
            + (method == "POST" ? $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n" : "")
            + "\r\n" + body);
        return await client.ReadToEndAsync();
    }
}
