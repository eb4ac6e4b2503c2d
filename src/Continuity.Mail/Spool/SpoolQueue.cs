using System.Threading.Channels;

namespace Continuity.Mail.Spool;

/// <summary>
/// The spooled messages this node holds, in memory, and a wake-up signal for the delivery scheduler
/// (new mail, a route change, a finished delivery, a queue operation).
/// </summary>
internal sealed class SpoolQueue
{
    private readonly ConcurrentDictionary<string, QueuedMessage> _messages = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Raised after a message was added or removed and after every delivery pass (tests and metrics wait on it).</summary>
    public event Action? Changed;

    public int Count => _messages.Count;

    public ICollection<QueuedMessage> Messages => _messages.Values;

    public void Add(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages[message.Id] = message;
        Wake();
    }

    public QueuedMessage? Find(string id) => _messages.TryGetValue(id, out var m) ? m : null;

    public bool Remove(string id)
    {
        var removed = _messages.TryRemove(id, out _);
        Changed?.Invoke();
        return removed;
    }

    public void Wake()
    {
        _wake.Writer.TryWrite(true);
        Changed?.Invoke();
    }

    /// <summary>Completes when <see cref="Wake"/> was called since the last wait.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
    }
}
