using System.Net.Sockets;
using System.Text;

namespace Continuity.Benchmarks;

/// <summary>
/// A minimal IMAP client on a raw socket, so the measurement holds no client library's own work: one buffer, lines
/// found by scanning for LF, no parsing beyond "is this my tagged reply and is it OK". Each path (direct, nginx,
/// gateway) is driven by the same code.
/// </summary>
internal sealed class ImapSessionClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _tag;

    private ImapSessionClient(Socket socket) => _socket = socket;

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<ImapSessionClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new ImapSessionClient(socket);
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var greeting = await client.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (!greeting.StartsWith("* OK", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"port {port} greeted with: {greeting}");
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary><c>LOGIN "user" "password"</c> (quoted strings: app passwords contain dashes); throws unless OK.</summary>
    public Task LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        CommandAsync($"LOGIN \"{user}\" \"{password}\"", cancellationToken);

    public Task NoopAsync(CancellationToken cancellationToken) => CommandAsync("NOOP", cancellationToken);

    /// <summary>LOGOUT, its BYE and tagged OK; the server closes after.</summary>
    public Task LogoutAsync(CancellationToken cancellationToken) => CommandAsync("LOGOUT", cancellationToken);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = "b" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.ASCII.GetBytes(tag + " " + command + "\r\n");
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (!line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                continue;
            }

            if (!line.AsSpan(tag.Length + 1).StartsWith("OK", StringComparison.Ordinal))
            {
                var shown = command.StartsWith("LOGIN", StringComparison.Ordinal) ? "LOGIN …" : command;
                throw new InvalidOperationException($"{shown} answered: {line}");
            }

            return;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidOperationException("line longer than 64 KB");
            }

            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed by the server");
            }

            _end += read;
        }
    }
}
