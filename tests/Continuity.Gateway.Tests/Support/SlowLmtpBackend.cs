using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// A provider's inbound LMTP backend (RFC 2033) on a loopback port bound at start, whose answer after the final dot the
/// test decides: <see cref="Answer"/> for every transaction, or <see cref="StallNext"/> to hold the next one after its
/// body until the test releases it (the gateway's delivery is then in flight for as long as the test wants). Every
/// transaction is kept with its spool id (<c>X-Continuity-Spool-Id</c>), the time its body arrived and the reply sent,
/// so a test can count what the backend stored. No PIPELINING is offered: the gateway sends one command at a time.
/// </summary>
internal sealed partial class SlowLmtpBackend : IAsyncDisposable
{
    public const string Stored = "250 2.0.0 stored";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<BackendTransaction> _transactions = new();
    private readonly ConcurrentDictionary<Task, bool> _sessions = new();
    private readonly Task _accepting;
    private BackendStall? _nextStall;

    private SlowLmtpBackend()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary><c>lmtp://127.0.0.1:PORT</c>, the form of <c>Providers:*:Mail:Inbound</c>.</summary>
    public string Uri => $"lmtp://127.0.0.1:{Port}";

    /// <summary>The reply after the final dot of a transaction that is not stalled (default: <see cref="Stored"/>).</summary>
    public Func<BackendTransaction, string> Answer { get; set; } = _ => Stored;

    /// <summary>Every transaction whose body arrived, in order (a stalled one too, its reply still null).</summary>
    public IReadOnlyList<BackendTransaction> Transactions => [.. _transactions];

    public static SlowLmtpBackend Start() => new();

    /// <summary>Transactions that carried the message with this spool id.</summary>
    public IReadOnlyList<BackendTransaction> Of(string spoolId) => [.. _transactions.Where(t => t.SpoolId == spoolId)];

    /// <summary>How many copies of the message with this spool id the backend stored (answered 2xx).</summary>
    public int StoredCopies(string spoolId) => Of(spoolId).Count(t => t.Reply?.StartsWith('2') == true);

    /// <summary>The next transaction waits after its final dot until <see cref="BackendStall.Release"/>.</summary>
    public BackendStall StallNext()
    {
        var stall = new BackendStall();
        return Interlocked.CompareExchange(ref _nextStall, stall, null) is null
            ? stall
            : throw new InvalidOperationException("a stall is already armed");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(_sessions.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var session = SessionAsync(client);
            _sessions[session] = true;
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var token = _stop.Token;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 backend.test LMTP ready");
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "LHLO":
                        await writer.WriteLineAsync("250 backend.test");
                        break;
                    case "MAIL":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 sender ok");
                        break;
                    case "RCPT":
                        recipients.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 2.1.5 recipient ok");
                        break;
                    case "DATA" when recipients.Count > 0:
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var transaction = await ReadBodyAsync(reader, [.. recipients], token);
                        _transactions.Enqueue(transaction);
                        var reply = Interlocked.Exchange(ref _nextStall, null) is { } stall
                            ? await stall.WaitAsync(transaction, token)
                            : Answer(transaction);
                        transaction.Reply = reply;
                        for (var i = 0; i < recipients.Count; i++)
                        {
                            await writer.WriteLineAsync(reply); // LMTP: one reply per accepted recipient
                        }

                        recipients.Clear();
                        break;
                    case "RSET":
                    case "NOOP":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 ok");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("503 5.5.1 bad sequence of commands");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The gateway hung up, or the test is over.
        }
    }

    private static async Task<BackendTransaction> ReadBodyAsync(StreamReader reader, IReadOnlyList<string> recipients, CancellationToken token)
    {
        var body = new StringBuilder();
        while (await reader.ReadLineAsync(token) is { } line && line != ".")
        {
            body.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        var text = body.ToString();
        var id = SpoolIdLine().Match(text);
        return new BackendTransaction(recipients, id.Success ? id.Groups[1].Value : "(no spool id)", text, DateTimeOffset.UtcNow);
    }

    [GeneratedRegex(@"^X-Continuity-Spool-Id:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex SpoolIdLine();
}
