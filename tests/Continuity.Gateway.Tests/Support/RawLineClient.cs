using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// A raw TCP client on loopback from a chosen source address (all of 127.0.0.0/8 is routed to <c>lo</c> on Linux, so
/// 127.0.0.2 is a second client address on the same machine): CRLF lines in and out, as an attacker's script talks.
/// </summary>
internal sealed class RawLineClient : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    private RawLineClient(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawLineClient> ConnectAsync(IPAddress source, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return new RawLineClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>The next line without its CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, deadline.Token);
                if (_end == 0)
                {
                    return line.Length > 0 ? line.ToString() : null;
                }
            }

            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = lf < 0 ? _end : lf;
            line.Append(Encoding.ASCII.GetString(_buffer, _start, stop - _start));
            _start = lf < 0 ? _end : lf + 1;
            if (lf >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }
        }
    }

    /// <summary>Everything until the server closes (an HTTP answer with <c>Connection: close</c>).</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var all = new StringBuilder();
        while (await ReadLineAsync(timeout) is { } line)
        {
            all.Append(line).Append('\n');
        }

        return all.ToString();
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
