namespace Continuity.Mail.Proxy;

/// <summary>
/// The proxied sessions open on this node, by user. When the route table changes (on every node, see
/// <see cref="RouteTable.Changed"/>), each session whose user now resolves to another provider is asked to close,
/// so its client reconnects and lands on the new backend.
/// </summary>
internal sealed partial class ProxySessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<ProxySession, byte> _sessions = new();
    private readonly RouteTable _routes;
    private readonly ILogger<ProxySessionRegistry> _logger;

    public ProxySessionRegistry(RouteTable routes, ILogger<ProxySessionRegistry> logger)
    {
        _routes = routes;
        _logger = logger;
        _routes.Changed += OnRoutesChanged;
    }

    public int Count => _sessions.Count;

    /// <summary>Tracks a session until the returned handle is disposed. A route that moved meanwhile closes it at once.</summary>
    public IDisposable Register(ProxySession session)
    {
        _sessions[session] = 0;
        if (!session.IsRoutedTo(_routes.Current.Resolve(session.Tenant, session.User)))
        {
            session.RequestClose();
        }

        return new Registration(this, session);
    }

    public void Dispose() => _routes.Changed -= OnRoutesChanged;

    private void OnRoutesChanged(RouteSnapshot previous, RouteSnapshot next)
    {
        foreach (var session in _sessions.Keys)
        {
            var now = next.Resolve(session.Tenant, session.User);
            if (!session.IsRoutedTo(now))
            {
                Log.Closing(_logger, session.Protocol, session.User, session.Provider, now ?? "(none)");
                session.RequestClose();
            }
        }
    }

    private sealed class Registration(ProxySessionRegistry registry, ProxySession session) : IDisposable
    {
        public void Dispose() => registry._sessions.TryRemove(session, out _);
    }
}
