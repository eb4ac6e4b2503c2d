namespace Continuity.Mail.Limits;

/// <summary>
/// The open connections of each client address on one listener (MX, submission or IMAP), refused past a cap so that
/// one client cannot hold every session slot (Postfix's <c>smtpd_client_connection_count_limit</c>). IPv4 counts per
/// address; IPv6 per /64, the smallest block a site is given: counting single IPv6 addresses would let one host take
/// every slot with addresses of its own /64. A cap of 0 counts nothing and refuses nothing.
/// </summary>
internal sealed class PerAddressConnectionLimit(int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly Lock _lock = new();

    public int MaxPerAddress => maxPerAddress;

    /// <summary>Connections open now from <paramref name="remote"/>'s address (or /64).</summary>
    public int Open(IPAddress remote)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault(Key(remote));
        }
    }

    /// <summary>
    /// Counts a new connection from <paramref name="remote"/>, or returns null when that address already has the maximum open.
    /// Disposing the lease (once or more) counts the connection as closed.
    /// </summary>
    public IDisposable? TryOpen(IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (maxPerAddress <= 0)
        {
            return NoLease.Instance;
        }

        var key = Key(remote);
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= maxPerAddress)
            {
                return null;
            }

            _open[key] = open + 1;
        }

        return new Lease(this, key);
    }

    /// <summary>The counting key: IPv4 (also when mapped into IPv6) as it is, IPv6 cut to its /64.</summary>
    internal static IPAddress Key(IPAddress remote)
    {
        if (remote.IsIPv4MappedToIPv6)
        {
            return remote.MapToIPv4();
        }

        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remote;
        }

        var bytes = remote.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private void Close(IPAddress key)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(key) - 1;
            if (open <= 0)
            {
                _open.Remove(key);
            }
            else
            {
                _open[key] = open;
            }
        }
    }

    private sealed class Lease(PerAddressConnectionLimit owner, IPAddress key) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Close(key);
            }
        }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
