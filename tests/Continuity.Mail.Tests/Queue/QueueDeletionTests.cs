using Continuity.Mail.Queue;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Queue;

/// <summary>
/// An admin deletion is recorded (audited) only when it happens: the message is held for the deletion before the record
/// is written, so a deletion refused because the message is being delivered right now leaves no record (before, the
/// record was written first and a refused delete, retried by the admin, was audited twice), and one whose record
/// cannot be written does not happen and leaves the message deliverable.
/// </summary>
[Trait("Category", "Server")]
public sealed class QueueDeletionTests : IDisposable
{
    private readonly TempDirectory _dir = new("queue-deletion");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DeleteAsync_MessageBeingDelivered_BusyAndNothingRecorded()
    {
        await using var host = await QueuedAsync();
        var message = Assert.Single(host.SpoolQueue.Messages);
        lock (message)
        {
            message.InFlight = true; // a delivery attempt holds it right now
        }

        var recorded = 0;
        var deletion = await host.Queue.DeleteAsync(message.Id, "demo", () => Task.FromResult(recorded++));

        Assert.Equal(QueueDeletionOutcome.Busy, deletion.Outcome);
        Assert.Equal(0, recorded);
        Assert.Equal(1, host.Queue.Count);
    }

    [Fact]
    public async Task DeleteAsync_RecordFails_NothingDeletedAndTheMessageIsReleased()
    {
        await using var host = await QueuedAsync();
        var id = Assert.Single(host.Queue.List()).Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Queue.DeleteAsync(id, "demo", () => throw new InvalidOperationException("audit store down")));

        Assert.Equal("pending", Assert.Single(Assert.Single(host.Queue.List()).Recipients).State);
        Assert.False(Assert.Single(host.SpoolQueue.Messages).InFlight);
        var recorded = 0;
        var deletion = await host.Queue.DeleteAsync(id, "demo", () => Task.FromResult(recorded++));
        Assert.Equal((QueueDeletionOutcome.Deleted, 1), (deletion.Outcome, recorded));
        Assert.Equal(0, host.Queue.Count);
    }

    [Fact]
    public async Task DeleteAsync_AnotherTenantsMessage_NotFoundAndNothingRecorded()
    {
        await using var host = await QueuedAsync();
        var id = Assert.Single(host.Queue.List()).Id;
        var recorded = 0;

        var deletion = await host.Queue.DeleteAsync(id, "other", () => Task.FromResult(recorded++));

        Assert.Equal((QueueDeletionOutcome.NotFound, 0), (deletion.Outcome, recorded));
        Assert.Equal(1, host.Queue.Count);
    }

    /// <summary>One message for bob, whose backend refuses: it stays queued, its first attempt over.</summary>
    private async Task<MailHost> QueuedAsync()
    {
        var closed = $"lmtp://127.0.0.1:{FreePort.Next()}";
        var host = await MailHost.StartAsync(_dir.Path, Mailer.Providers(closed, closed), _time);
        host.Route(1);
        await Mailer.SendAsync(host.Port, "sender@outside.example", "bob@demo.test");
        await host.WaitUntilAsync(() => host.Queue.List().Single().Recipients.Single().Attempts == 1, "the first attempt failed");
        return host;
    }
}
