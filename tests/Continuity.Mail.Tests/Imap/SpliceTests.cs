using System.Net;
using System.Net.Sockets;
using System.Text;
using Continuity.Mail.Imap;
using Continuity.Mail.Proxy;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Imap;

/// <summary><see cref="Splice"/> (src/Continuity.Mail/Proxy; here beside the IMAP tests, since a Tests.Proxy namespace would hide Continuity.Mail.Proxy from them) between two real loopback connections; time is fake.</summary>
[Trait("Category", "Server")]
public sealed class SpliceTests : IAsyncLifetime
{
    private static readonly SpliceLimits Limits = new(TimeSpan.FromMinutes(31), TimeSpan.FromHours(24));
    private static readonly byte[] Goodbye = "* BYE moved\r\n"u8.ToArray();
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _close = new();
    private readonly CancellationTokenSource _stopping = new();
    private NetworkStream _client = null!;       // the mail client's end
    private NetworkStream _gatewayClient = null!; // the gateway's end towards the client
    private NetworkStream _gatewayBackend = null!; // the gateway's end towards the backend
    private NetworkStream _backend = null!;      // the backend's end

    public async Task InitializeAsync()
    {
        (_client, _gatewayClient) = await PairAsync();
        (_gatewayBackend, _backend) = await PairAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var stream in new[] { _client, _gatewayClient, _gatewayBackend, _backend })
        {
            await stream.DisposeAsync();
        }

        _close.Dispose();
        _stopping.Dispose();
    }

    [Fact]
    public async Task RunAsync_BytesBothWays_PendingFirstThenCopiedUntilClientCloses()
    {
        var splice = Run("a1 NOOP\r\n"u8.ToArray());

        Assert.Equal("a1 NOOP\r\n", await ReadAsync(_backend, 9));
        await _backend.WriteAsync("a1 OK done\r\n"u8.ToArray());
        Assert.Equal("a1 OK done\r\n", await ReadAsync(_client, 12));
        var big = new byte[200_000];
        Random.Shared.NextBytes(big);
        var sent = _client.WriteAsync(big).AsTask();
        var received = new byte[big.Length];
        await _backend.ReadExactlyAsync(received).AsTask().WaitAsync(Wait);
        await sent;
        Assert.Equal(big, received);
        _client.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(SpliceEnd.ClientClosed, await splice.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_BackendCloses_BackendClosed()
    {
        var splice = Run();

        _backend.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(SpliceEnd.BackendClosed, await splice.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_NoByteForTheIdleTime_IdleTimeoutCountedFromTheLastByte()
    {
        var splice = Run();
        _time.Advance(TimeSpan.FromMinutes(20));
        await _client.WriteAsync("a1 NOOP\r\n"u8.ToArray());
        await ReadAsync(_backend, 9); // the splice stamped the read before forwarding it

        _time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(SpliceEnd.IdleTimeout, await splice.WaitAsync(Wait));
    }

    [Fact]
    public void Deadline_IdleCountedFromTheLastActivity()
    {
        using var deadline = new SpliceDeadline(Limits, _time);
        _time.Advance(TimeSpan.FromMinutes(20));
        deadline.Active();

        _time.Advance(TimeSpan.FromMinutes(11)); // the first check, 31 minutes in: 20 minutes left
        Assert.False(deadline.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMinutes(20) - TimeSpan.FromMilliseconds(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.Null(deadline.Reason);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.Equal(SpliceEnd.IdleTimeout, deadline.Reason);
    }

    [Fact]
    public void Deadline_ActiveAllTheTime_SessionLimitStillApplies()
    {
        using var deadline = new SpliceDeadline(new SpliceLimits(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(25)), _time);
        for (var i = 0; i < 24; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            deadline.Active();
        }

        Assert.False(deadline.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.Equal(SpliceEnd.SessionTimeout, deadline.Reason);
    }

    [Fact]
    public void Deadline_DisposedBeforeItFires_NothingHappens()
    {
        var deadline = new SpliceDeadline(Limits, _time);

        deadline.Dispose();
        _time.Advance(TimeSpan.FromHours(25));

        Assert.Null(deadline.Reason);
    }

    [Fact]
    public async Task RunAsync_BusyPastTheSessionLimit_SessionTimeout()
    {
        var limits = new SpliceLimits(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(25));
        var splice = Splice.RunAsync(_gatewayClient, _gatewayBackend, default, new ImapResponseScanner(), Goodbye, limits, _time, _close.Token, _stopping.Token);
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(6));
            await _backend.WriteAsync("* 1 EXISTS\r\n"u8.ToArray());
            await ReadAsync(_client, 12);
        }

        Assert.False(splice.IsCompleted); // 24 minutes, never idle for 10
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(SpliceEnd.SessionTimeout, await splice.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_CloseRequestedMidResponse_GoodbyeOnlyAfterTheLineEnds()
    {
        var splice = Run();
        await _backend.WriteAsync("* 1 FETCH (FLAGS"u8.ToArray());
        Assert.Equal("* 1 FETCH (FLAGS", await ReadAsync(_client, 16));

        await _close.CancelAsync();
        await _backend.WriteAsync(" (\\Seen))\r\n"u8.ToArray());

        Assert.Equal(SpliceEnd.ClosedByGateway, await splice.WaitAsync(Wait));
        Assert.Equal(" (\\Seen))\r\n* BYE moved\r\n", await ReadAsync(_client, 11 + Goodbye.Length));
    }

    [Fact]
    public async Task RunAsync_GatewayStopping_Closed()
    {
        var splice = Run();

        await _stopping.CancelAsync();

        Assert.Equal(SpliceEnd.Closed, await splice.WaitAsync(Wait));
    }

    private Task<SpliceEnd> Run(byte[]? pending = null) =>
        Splice.RunAsync(_gatewayClient, _gatewayBackend, pending ?? default, new ImapResponseScanner(), Goodbye, Limits, _time, _close.Token, _stopping.Token);

    private static async Task<string> ReadAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Wait);
        return Encoding.ASCII.GetString(buffer);
    }

    private static async Task<(NetworkStream, NetworkStream)> PairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await connecting.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var accepted = await listener.AcceptSocketAsync();
        return (new NetworkStream(connecting, ownsSocket: true), new NetworkStream(accepted, ownsSocket: true));
    }
}
