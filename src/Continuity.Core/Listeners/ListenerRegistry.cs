using System.Collections.Concurrent;

namespace Continuity.Core.Listeners;

/// <summary>A listener this node runs (for /health/status and readiness).</summary>
/// <param name="Name">e.g. <c>http</c>, <c>smtp</c>, <c>imap</c>.</param>
/// <param name="Protocol">e.g. <c>http</c>, <c>https</c>, <c>smtp</c>, <c>imaps</c>.</param>
public sealed record ListenerInfo(string Name, string Protocol, string Address, int Port);

/// <summary>Every part registers its listeners once bound; health reports them.</summary>
public sealed class ListenerRegistry
{
    private readonly ConcurrentDictionary<string, ListenerInfo> _listeners = new(StringComparer.Ordinal);

    public void Register(ListenerInfo listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listeners[$"{listener.Name}|{listener.Address}|{listener.Port}"] = listener;
    }

    public IReadOnlyList<ListenerInfo> All => _listeners.Values.OrderBy(l => l.Port).ToList();
}
