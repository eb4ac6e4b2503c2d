namespace Continuity.Mail.Proxy;

/// <summary>One spliced session as <see cref="ProxySessionRegistry"/> sees it: whose it is, where it goes, how to end it.</summary>
internal sealed class ProxySession(string protocol, string tenant, string user, string provider) : IDisposable
{
    private readonly CancellationTokenSource _close = new();

    public string Protocol { get; } = protocol;

    public string Tenant { get; } = tenant;

    public string User { get; } = user;

    public string Provider { get; } = provider;

    /// <summary>Cancelled when the session should end (its route moved).</summary>
    public CancellationToken CloseRequested => _close.Token;

    public bool IsRoutedTo(string? provider) => string.Equals(provider, Provider, StringComparison.OrdinalIgnoreCase);

    public void RequestClose()
    {
        try
        {
            _close.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session ended meanwhile.
        }
    }

    public void Dispose() => _close.Dispose();
}
