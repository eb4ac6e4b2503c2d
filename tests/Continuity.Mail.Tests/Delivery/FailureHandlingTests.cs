using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Continuity.Mail.Tests.Delivery;

/// <summary>Backends that are down, refuse for good, or disabled a mailbox; retries run on fake time.</summary>
[Trait("Category", "Server")]
public sealed class FailureHandlingTests(TwoDovecots dovecots) : IClassFixture<TwoDovecots>, IDisposable
{
    private readonly TempDirectory _dir = new("failures");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BackendDown_MessageIsAcceptedQueuedAndDeliveredWhenItReturns()
    {
        await using var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri), _time);
        host.Route(1);
        dovecots.Primary.Stop();
        try
        {
            var marker = await Mailer.SendAsync(host.Port, "sender@outside.example", "bob@demo.test"); // throws on any 4xx/5xx
            await host.WaitUntilAsync(() => host.Queue.List().Single().Recipients.Single().Attempts == 1, "the first attempt failed");
            Assert.Equal("pending", host.Queue.List().Single().Recipients.Single().State);

            dovecots.Primary.Restart();
            await host.AdvanceUntilAsync(_time, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(300), () => host.Queue.Count == 0, "the queue is empty");

            Assert.Equal(1, dovecots.Primary.Count("bob@demo.test", marker));
        }
        finally
        {
            dovecots.Primary.Restart();
        }
    }

    [Fact]
    public async Task BackendDownPastRetryWindow_SenderGetsOneRfc3464Dsn()
    {
        var settings = Mailer.Providers($"lmtp://127.0.0.1:{FreePort.Next()}", dovecots.Sovereign.LmtpUri); // primary never answers
        await using var host = await MailHost.StartAsync(_dir.Path, settings, _time);
        host.Route(1, ("bob@demo.test", "sovereign"));

        var marker = await Mailer.SendAsync(host.Port, "bob@demo.test", "alice@demo.test");
        await host.WaitUntilAsync(() => host.Queue.List().Single().Recipients.Single().Attempts == 1, "the first attempt failed");
        await host.AdvanceUntilAsync(_time, TimeSpan.FromSeconds(4000), TimeSpan.FromSeconds(300),
            () => host.Queue.List().Single().Recipients.Single().Attempts >= 2, "the second attempt failed");
        Assert.Equal(0, dovecots.Sovereign.Count("bob@demo.test", marker));

        await host.AdvanceUntilAsync(_time, TimeSpan.FromDays(5), TimeSpan.FromSeconds(4000), () => host.Queue.Count == 0, "the queue is empty");

        var dsns = dovecots.Sovereign.Messages("bob@demo.test").Where(m => m.Contains(marker, StringComparison.Ordinal)).ToList();
        var dsn = Assert.Single(dsns);
        using var parsed = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dsn)));
        var report = Assert.IsType<MultipartReport>(parsed.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; alice@demo.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.StartsWith("5.", recipient["Status"]);
        Assert.Contains("Return-Path: <>", dsn); // sent from the null sender: it can never bounce back
    }

    [Fact]
    public async Task MailboxDisabledByProvider_RaisesSignalHoldsAndDeliversAfterRouteChange()
    {
        using var cutting = DovecotServer.Start("cutting", "bob@demo.test"); // alice's mailbox is gone at this provider
        await using var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(cutting.LmtpUri, dovecots.Sovereign.LmtpUri), _time);
        host.Route(1);

        var marker = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        await host.WaitUntilAsync(() => host.Queue.List().Single().Recipients.Any(r => r.State == "held"), "alice is held");

        var signal = Assert.Single(host.Signals.Raised);
        Assert.Equal(("demo", "alice@demo.test", "primary", "mx"), (signal.Tenant, signal.User, signal.Provider, signal.Source));
        Assert.StartsWith("550 5.1.1", signal.Evidence);
        Assert.Equal(1, cutting.Count("bob@demo.test", marker)); // bob is not held up by alice

        host.Route(2, ("alice@demo.test", "sovereign"));
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", marker));
    }

    [Fact]
    public async Task OneOfThreeBackendsFails_OnlyThatRecipientIsRetried()
    {
        var settings = Mailer.Providers($"lmtp://127.0.0.1:{FreePort.Next()}", dovecots.Sovereign.LmtpUri);
        await using var host = await MailHost.StartAsync(_dir.Path, settings, _time);
        host.Route(1, ("alice@demo.test", "sovereign"));

        var marker = await Mailer.SendAsync(host.Port, "sender@outside.example", "alice@demo.test", "bob@demo.test");
        await host.WaitUntilAsync(() => host.Queue.List().Single().Recipients.Any(r => r.Attempts == 1), "bob's attempt failed");
        await host.AdvanceUntilAsync(_time, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(300),
            () => host.Queue.List().Single().Recipients.Any(r => r.Attempts >= 2), "bob's second attempt failed");

        Assert.Equal(1, dovecots.Sovereign.Count("alice@demo.test", marker)); // delivered once, not with every retry
    }
}
