using System.Buffers;
using System.Text;
using Continuity.Mail.Lmtp;
using Continuity.Mail.Spool;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Continuity.Mail.Tests.Delivery;

/// <summary>
/// Recovery of an attempt the journal left open (issue 19): the spool holds a message whose journal has a <c>P</c> for
/// alice at primary and no outcome, as after a kill between the final dot and the <c>D</c>. On start the gateway asks
/// primary's Dovecot over IMAP (its master user) for the spool id before delivering again.
/// </summary>
[Trait("Category", "Server")]
public sealed class OpenAttemptTests(TwoDovecots dovecots) : IClassFixture<TwoDovecots>, IDisposable
{
    private readonly TempDirectory _dir = new("open-attempt");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Recover_OpenAttemptWhoseCopyArrived_MarkedDeliveredAndNotDeliveredAgain()
    {
        var (message, marker) = SpoolWithOpenAttempt();
        await DeliverDirectlyAsync(message); // the copy the killed gateway's last transaction left in the mailbox

        await using var host = await MailHost.StartAsync(_dir.Path, Settings(searchable: true));
        host.Route(1);
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(1, dovecots.Primary.Count("alice@demo.test", marker));
        Assert.DoesNotContain("\nP ", "\n" + Journal(message)); // nothing was attempted again
    }

    [Fact]
    public async Task Recover_OpenAttemptWhoseCopyNeverArrived_DeliveredOnce()
    {
        var (_, marker) = SpoolWithOpenAttempt();

        await using var host = await MailHost.StartAsync(_dir.Path, Settings(searchable: true));
        host.Route(1);
        await host.WaitForEmptyQueueAsync();

        Assert.Equal(1, dovecots.Primary.Count("alice@demo.test", marker));
    }

    [Fact]
    public async Task Recover_OpenAttemptAtABackendWithNoImapLogin_DeliveredAgainAtLeastOnce()
    {
        var (message, marker) = SpoolWithOpenAttempt();
        await DeliverDirectlyAsync(message);

        await using var host = await MailHost.StartAsync(_dir.Path, Settings(searchable: false));
        host.Route(1);
        await host.WaitForEmptyQueueAsync();

        // What /health/status reports as at-least-once for this backend: the copy cannot be looked up, so it is sent again.
        Assert.Equal(2, dovecots.Primary.Count("alice@demo.test", marker));
    }

    private Dictionary<string, string?> Settings(bool searchable)
    {
        var settings = Mailer.Providers(dovecots.Primary.LmtpUri, dovecots.Sovereign.LmtpUri);
        if (searchable)
        {
            settings["Tenants:demo:Providers:primary:Mail:Imap"] = dovecots.Primary.ImapUri;
            settings["Tenants:demo:Providers:primary:Mail:Login:Master"] = DovecotServer.MasterUser;
            settings["Tenants:demo:Providers:primary:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword;
        }

        return settings;
    }

    /// <summary>A spooled message for alice, as the MX writes it, with an attempt at primary and no outcome.</summary>
    private (QueuedMessage Message, string Marker) SpoolWithOpenAttempt()
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var envelope = new SpoolEnvelope
        {
            Id = SpoolStore.NewId(now),
            From = "sender@outside.example",
            Recipients = [new("alice@demo.test", "alice@demo.test", "demo")],
            ReceivedAt = now,
        };
        var body = Encoding.ASCII.GetBytes($"From: sender@outside.example\r\nTo: alice@demo.test\r\nMessage-ID: <{marker}@outside.example>\r\nSubject: {marker}\r\n\r\n{marker}");
        var message = store.Write(envelope, SpoolIdHeader.Line(envelope.Id), new ReadOnlySequence<byte>(body));
        SpoolStore.Append(message, SpoolJournal.Attempt(0, TargetKind.Main, "primary", now, dovecots.Primary.LmtpUri));
        return (message, marker);
    }

    private async Task DeliverDirectlyAsync(QueuedMessage message)
    {
        await using var lmtp = await LmtpClient.ConnectAsync(new Uri(dovecots.Primary.LmtpUri), "test", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        await using var body = SpoolStore.OpenBody(message);
        var replies = await lmtp.SendAsync(message.Envelope.From, ["alice@demo.test"], body, CancellationToken.None);
        Assert.True(replies[0].IsPositive, replies[0].ToString());
    }

    private static string Journal(QueuedMessage message) => File.Exists(message.JournalPath) ? File.ReadAllText(message.JournalPath) : "";
}
