using Continuity.Mail.Spool;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Queue;

/// <summary>
/// Queue operations for the admin API and CLI: list with filters, show one, retry now, delete. Deleting removes
/// the message from the spool for good; the caller writes the audit record.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the mail queue; the name operators use.")]
public sealed partial class MailQueue
{
    private readonly SpoolQueue _queue;
    private readonly SpoolStore _spool;
    private readonly TimeProvider _time;
    private readonly ILogger<MailQueue> _logger;

    internal MailQueue(SpoolQueue queue, SpoolStore spool, TimeProvider time, ILogger<MailQueue> logger)
    {
        _queue = queue;
        _spool = spool;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages in the queue now.</summary>
    public int Count => _queue.Count;

    /// <summary>Age of the oldest message, or zero (for <c>/metrics</c> and <c>/health/status</c>).</summary>
    public TimeSpan OldestAge =>
        _queue.Messages.Select(m => m.Envelope.ReceivedAt).DefaultIfEmpty(_time.GetUtcNow()).Min() is var oldest
            ? _time.GetUtcNow() - oldest
            : TimeSpan.Zero;

    /// <param name="tenant">Only messages with a recipient of this tenant.</param>
    /// <param name="recipient">Only messages with this recipient (any case).</param>
    /// <param name="state">Only messages with a recipient in this state (pending, delivered, failed, held, dropped).</param>
    public IReadOnlyList<QueuedMessageView> List(string? tenant = null, string? recipient = null, string? state = null, int limit = 1000) =>
        [.. _queue.Messages
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(View)
            .Where(v => v.Recipients.Any(r =>
                (tenant is null || string.Equals(r.Tenant, tenant, StringComparison.OrdinalIgnoreCase))
                && (recipient is null || string.Equals(r.Address, recipient, StringComparison.OrdinalIgnoreCase) || string.Equals(r.DeliverTo, recipient, StringComparison.OrdinalIgnoreCase))
                && (state is null || string.Equals(r.State, state, StringComparison.OrdinalIgnoreCase))))
            .Take(limit)];

    public QueuedMessageView? Show(string id) => _queue.Find(id) is { } m ? View(m) : null;

    /// <summary>Retries every pending and held recipient of the message now. False when there is no such message.</summary>
    public bool RetryNow(string id)
    {
        if (_queue.Find(id) is not { } message)
        {
            return false;
        }

        message.RetryNow = true;
        message.NotBefore = DateTimeOffset.MinValue;
        _queue.Wake();
        return true;
    }

    /// <summary>Deletes the message from the spool. False when there is no such message or a delivery of it is running (try again).</summary>
    public bool Delete(string id)
    {
        if (_queue.Find(id) is not { } message)
        {
            return false;
        }

        lock (message)
        {
            if (message.InFlight)
            {
                return false;
            }

            _queue.Remove(id);
            message.InFlight = true; // never dispatched again
        }

        _spool.Remove(message);
        LogDeleted(_logger, id);
        return true;
    }

    private static QueuedMessageView View(QueuedMessage m) => new(
        m.Id,
        m.Envelope.From,
        m.Envelope.ReceivedAt,
        m.BodyLength,
        m.Envelope.IsBounce,
        [.. m.Recipients.Select(r => new QueuedRecipientView(
            r.Recipient.Address,
            r.Recipient.DeliverTo,
            r.Recipient.Tenant,
            State(r.Main.Status),
            r.Main.Provider,
            r.Main.Attempts,
            r.Main.Status == TargetStatus.Pending && r.Main.NextAttempt > DateTimeOffset.MinValue ? r.Main.NextAttempt : null,
            r.Main.LastError,
            r.Copy.Status == TargetStatus.Pending && r.Copy.Attempts == 0 ? null : State(r.Copy.Status)))]);

    private static string State(TargetStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Queue: message {Id} deleted by an admin")]
    private static partial void LogDeleted(ILogger logger, string id);
}
