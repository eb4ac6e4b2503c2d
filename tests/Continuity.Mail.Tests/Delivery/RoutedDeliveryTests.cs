using System.Diagnostics;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Delivery;

/// <summary>Mail through the MX lands in the mailbox of the provider each recipient is routed to (two real Dovecots).</summary>
[Trait("Category", "Server")]
public sealed class RoutedDeliveryTests(TwoDovecots dovecots) : IClassFixture<TwoDovecots>, IDisposable
{
    private readonly TempDirectory _dir = new("routed");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Send_AliceOnSovereignBobOnPrimary_EachLandsInTheRoutedMailboxOnly()
    {
        await using var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri));
        host.Route(1, ("alice@demo.test", "sovereign"));

        var marker = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", marker));
        Assert.Equal(0, dovecots.Primary.Count("alice@demo.test", marker));
        Assert.Equal(1, dovecots.Primary.Count("bob@demo.test", marker));
        Assert.Equal(0, dovecots.Sovereign.Count("bob@demo.test", marker));
        var delivered = dovecots.Sovereign.Messages("alice@demo.test").Single(m => m.Contains(marker, StringComparison.Ordinal));
        Assert.Contains("\n..leading dot line", delivered.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n.leading", "\n..leading", StringComparison.Ordinal));
        Assert.Contains("Received: from [127.0.0.1]", delivered);
    }

    [Fact]
    public async Task RouteChange_WithContinuityCopies_SovereignHadCopiesBeforeAndAliceMovesAlone()
    {
        await using var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri, copies: true));
        host.Route(1);

        var before = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        await host.WaitForEmptyQueueAsync();
        foreach (var user in new[] { "alice@demo.test", "bob@demo.test" })
        {
            Assert.Equal(1, dovecots.Primary.Count(user, before));
            Assert.Equal(1, dovecots.Sovereign.Count(user, before)); // the continuity copy, there on the day of the cut-off
        }

        host.Route(2, ("alice@demo.test", "sovereign"));
        var after = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(0, dovecots.Primary.Count("alice@demo.test", after));
        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", after)); // once: the main delivery, no second copy
        Assert.Equal(1, dovecots.Primary.Count("bob@demo.test", after));   // bob unaffected
        Assert.Equal(1, dovecots.Sovereign.Count("bob@demo.test", after));
    }

    [Fact]
    public async Task Swaks_SendsThroughTheMx_Delivered()
    {
        var swaks = RequiredProgram.Find("swaks", "swaks");
        await using var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri));
        host.Route(1);
        var marker = $"swaks-{Guid.NewGuid():N}";

        using var process = Process.Start(new ProcessStartInfo(swaks,
            ["--server", "127.0.0.1", "--port", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--from", "sender@outside.example", "--to", "bob@demo.test", "--header", $"Subject: {marker}", "--body", marker])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("250 2.0.0 Ok: queued as", output);

        await host.WaitForEmptyQueueAsync();
        Assert.Equal(1, dovecots.Primary.Count("bob@demo.test", marker));
    }

    [Fact]
    public async Task Restart_SpooledMailIsDeliveredAndDeliveredRecipientsAreNotRepeated()
    {
        var settings = Mailer.Providers($"lmtp://127.0.0.1:{FreePort.Next()}", dovecots.Sovereign.LmtpUri); // primary unreachable
        string marker;
        await using (var first = await MailHost.StartAsync(_dir.Path, settings))
        {
            first.Route(1, ("alice@demo.test", "sovereign"));
            marker = await Mailer.SendAsync(first.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
            await first.WaitUntilAsync(
                () => first.Queue.List().SelectMany(m => m.Recipients).Count(r => r.State == "delivered" || r.Attempts > 0) == 2,
                "alice is delivered and bob deferred");
        }

        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", marker));
        await using var second = await MailHost.StartAsync(_dir.Path, Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri));
        second.Route(1, ("alice@demo.test", "sovereign"));
        Assert.Single(second.Queue.List());
        second.Queue.RetryNow(second.Queue.List()[0].Id);
        await second.WaitForEmptyQueueAsync();

        Assert.Equal(1, dovecots.Primary.Count("bob@demo.test", marker));
        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", marker)); // not delivered again
    }
}
