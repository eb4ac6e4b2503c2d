using Continuity.Mail.Delivery;

namespace Continuity.Mail.Queue;

/// <summary>
/// Queue operations for the admin API and CLI: list with filters, show one, retry now, delete. Every operation takes
/// the caller's tenant and sees and acts on that tenant's recipients only: a message to recipients of two tenants is
/// two separate things to their two admins (neither sees the other's addresses or errors, and a delete or retry by one
/// leaves the other's recipients as they were). Deleting journals the tenant's recipients as deleted (nothing more is
/// delivered to them, and no bounce is sent for them); the spool file goes once no recipient has anything left to do.
/// A null tenant means every recipient (tests and node-local tools). The caller writes the audit record.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the mail queue; the name operators use.")]
public sealed partial class MailQueue
{
    private readonly SpoolQueue _queue;
    private readonly SpoolStore _spool;
    private readonly DeliveryPlanner _planner;
    private readonly TimeProvider _time;
    private readonly ILogger<MailQueue> _logger;

    internal MailQueue(SpoolQueue queue, SpoolStore spool, DeliveryPlanner planner, TimeProvider time, ILogger<MailQueue> logger)
    {
        _queue = queue;
        _spool = spool;
        _planner = planner;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages in the queue now (all tenants: for <c>/metrics</c> and <c>/health/status</c>).</summary>
    public int Count => _queue.Count;

    /// <summary>Age of the oldest message, or zero (all tenants: for <c>/metrics</c> and <c>/health/status</c>).</summary>
    public TimeSpan OldestAge =>
        _queue.Messages.Select(m => m.Envelope.ReceivedAt).DefaultIfEmpty(_time.GetUtcNow()).Min() is var oldest
            ? _time.GetUtcNow() - oldest
            : TimeSpan.Zero;

    /// <summary>Messages with a recipient of <paramref name="tenant"/> still in the queue, and the age of the oldest.</summary>
    public (int Count, TimeSpan OldestAge) Summary(string? tenant)
    {
        var received = _queue.Messages.Where(m => Mine(m, tenant).Any()).Select(m => m.Envelope.ReceivedAt).ToList();
        return (received.Count, received.Count == 0 ? TimeSpan.Zero : _time.GetUtcNow() - received.Min());
    }

    /// <param name="tenant">Only this tenant's recipients (and the messages that have one).</param>
    /// <param name="recipient">Only messages with this recipient (any case).</param>
    /// <param name="state">Only messages with a recipient in this state (pending, delivered, failed, held, dropped).</param>
    /// <param name="limit">At most this many messages.</param>
    public IReadOnlyList<QueuedMessageView> List(string? tenant = null, string? recipient = null, string? state = null, int limit = 1000) =>
        [.. _queue.Messages
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => View(m, tenant))
            .OfType<QueuedMessageView>()
            .Where(v => v.Recipients.Any(r =>
                (recipient is null || string.Equals(r.Address, recipient, StringComparison.OrdinalIgnoreCase) || string.Equals(r.DeliverTo, recipient, StringComparison.OrdinalIgnoreCase))
                && (state is null || string.Equals(r.State, state, StringComparison.OrdinalIgnoreCase))))
            .Take(limit)];

    /// <summary>The message with only <paramref name="tenant"/>'s recipients; null when it has none (or there is no such message).</summary>
    public QueuedMessageView? Show(string id, string? tenant = null) => _queue.Find(id) is { } m ? View(m, tenant) : null;

    /// <summary>Retries <paramref name="tenant"/>'s pending and held recipients of the message now. False when it has none.</summary>
    public bool RetryNow(string id, string? tenant = null)
    {
        if (_queue.Find(id) is not { } message || Mine(message, tenant).ToList() is not { Count: > 0 } mine)
        {
            return false;
        }

        foreach (var r in mine)
        {
            r.RetryNow = true;
        }

        message.NotBefore = DateTimeOffset.MinValue;
        _queue.Wake();
        return true;
    }

    /// <summary>
    /// Deletes <paramref name="tenant"/>'s recipients of the message: journalled, so a restart does not bring them back.
    /// The spool file is removed at once when no recipient is left with anything to do (and no bounce is owed);
    /// otherwise the message stays for the other recipients. <paramref name="recordFirst"/> (the audit record) runs once
    /// the message is held for the deletion and before anything is journalled: a deletion that cannot be recorded does
    /// not happen (its exception comes out, the message is released), and one refused (not found, or being delivered
    /// right now) is never recorded.
    /// </summary>
    public async Task<QueueDeletion> DeleteAsync(string id, string? tenant, Func<Task> recordFirst)
    {
        ArgumentNullException.ThrowIfNull(recordFirst);
        var (refused, message, mine) = Hold(id, tenant);
        if (refused is { } answer)
        {
            return answer;
        }

        try
        {
            await recordFirst().ConfigureAwait(false);
        }
        catch
        {
            Release(message!);
            throw;
        }

        return Delete(message!, mine, tenant);
    }

    /// <summary>Takes the message from the scheduler (marked in flight), or says why not.</summary>
    private (QueueDeletion? Refused, QueuedMessage? Message, List<int> Mine) Hold(string id, string? tenant)
    {
        if (_queue.Find(id) is not { } message)
        {
            return (new(QueueDeletionOutcome.NotFound, []), null, []);
        }

        lock (message)
        {
            List<int> mine = [.. message.Recipients.Select((r, i) => (r, i)).Where(x => IsVisible(x.r, tenant)).Select(x => x.i)];
            if (mine.Count == 0)
            {
                return (new(QueueDeletionOutcome.NotFound, []), null, []);
            }

            if (message.InFlight)
            {
                return (new(QueueDeletionOutcome.Busy, []), null, []);
            }

            message.InFlight = true; // the scheduler keeps off while the deletion is recorded and journalled
            return (null, message, mine);
        }
    }

    private void Release(QueuedMessage message)
    {
        lock (message)
        {
            message.InFlight = false;
        }

        _queue.Wake(); // the scheduler finishes the message (and sends a bounce owed) if nothing is left
    }

    private QueueDeletion Delete(QueuedMessage message, List<int> mine, string? tenant)
    {
        var removed = mine.Select(i => message.Recipients[i].Recipient.Address).ToList();
        var finished = false;
        try
        {
            foreach (var i in mine)
            {
                SpoolStore.Append(message, SpoolJournal.Deleted(i));
                message.Recipients[i].Delete();
            }

            var bounceOwed = !message.BounceSpooled && message.Recipients.Any(r => r.Main.Status == TargetStatus.Failed);
            if (_planner.IsComplete(message) && !bounceOwed)
            {
                _queue.Remove(message.Id);
                _spool.Remove(message);
                finished = true; // stays InFlight: never dispatched again
            }
        }
        finally
        {
            if (!finished)
            {
                Release(message);
            }
        }

        Log.Deleted(_logger, message.Id, removed.Count, tenant ?? "(all)", finished);
        return new(QueueDeletionOutcome.Deleted, removed);
    }

    private static bool IsVisible(RecipientState r, string? tenant) =>
        !r.IsDeleted && (tenant is null || string.Equals(r.Recipient.Tenant, tenant, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<RecipientState> Mine(QueuedMessage m, string? tenant) => m.Recipients.Where(r => IsVisible(r, tenant));

    private static QueuedMessageView? View(QueuedMessage m, string? tenant)
    {
        var recipients = Mine(m, tenant).Select(r => new QueuedRecipientView(
            r.Recipient.Address,
            r.Recipient.DeliverTo,
            r.Recipient.Tenant,
            State(r.Main.Status),
            r.Main.Provider,
            r.Main.Attempts,
            r.Main.Status == TargetStatus.Pending && r.Main.NextAttempt > DateTimeOffset.MinValue ? r.Main.NextAttempt : null,
            r.Main.LastError,
            r.Copy.Status == TargetStatus.Pending && r.Copy.Attempts == 0 ? null : State(r.Copy.Status))).ToList();
        return recipients.Count == 0 ? null : new(m.Id, m.Envelope.From, m.Envelope.ReceivedAt, m.BodyLength, m.Envelope.IsBounce, recipients);
    }

    private static string State(TargetStatus status) => status.ToString().ToLowerInvariant();
}
