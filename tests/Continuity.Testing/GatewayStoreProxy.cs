using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Continuity.Testing;

/// <summary>
/// A TCP relay between one gateway node and its Redis-protocol store, on 127.0.0.1. After
/// <see cref="DropPubSubMessages"/> it silently discards what the store sends on the node's
/// subscription connections while keeping those connections open: published messages are lost
/// and the client sees no disconnect, which is how pub/sub's at-most-once delivery fails in
/// practice (a message in flight when a link drops, a replica failover). Commands and replies on
/// the other connections pass untouched.
/// </summary>
public sealed class GatewayStoreProxy : IAsyncDisposable
{
    private static readonly byte[] Subscribe = Encoding.ASCII.GetBytes("SUBSCRIBE");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _dropping;
    private int _subscriptionConnections;
    private long _droppedBytes;

    public GatewayStoreProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>What the node uses instead of the store's own address.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Connections on which the client sent SUBSCRIBE.</summary>
    public int SubscriptionConnections => Volatile.Read(ref _subscriptionConnections);

    /// <summary>Bytes from the store discarded so far (published messages that never reached the node).</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>From now on, discard everything the store sends on subscription connections (which stay open).</summary>
    public void DropPubSubMessages() => _dropping = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var connection = new Connection();
            var up = PumpAsync(client.GetStream(), server.GetStream(), connection, fromStore: false);
            var down = PumpAsync(server.GetStream(), client.GetStream(), connection, fromStore: true);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The store or the node went away: close both sides, as a real network path would.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Connection connection, bool fromStore)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                if (!fromStore && !connection.IsSubscription && connection.Saw(buffer.AsSpan(0, read), Subscribe))
                {
                    connection.IsSubscription = true;
                    Interlocked.Increment(ref _subscriptionConnections);
                }

                if (fromStore && connection.IsSubscription && _dropping)
                {
                    Interlocked.Add(ref _droppedBytes, read);
                    continue;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>One relayed connection: whether the client subscribed on it (looked for in its first bytes).</summary>
    private sealed class Connection
    {
        private const int Window = 8 * 1024;
        private readonly List<byte> _head = [];

        public volatile bool IsSubscription;

        /// <summary>Whether <paramref name="word"/> (ASCII, any case) appears in the client's first bytes, chunks joined.</summary>
        public bool Saw(ReadOnlySpan<byte> chunk, byte[] word)
        {
            if (_head.Count >= Window)
            {
                return false;
            }

            foreach (var b in chunk[..Math.Min(chunk.Length, Window - _head.Count)])
            {
                _head.Add(b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b);
            }

            return _head.ToArray().AsSpan().IndexOf(word) >= 0;
        }
    }
}
