using System.Net.Sockets;
using System.Text;

namespace Continuity.Mail.Tests.Support;

/// <summary>A byte-level SMTP client for bad input: sends exactly what it is given and reads whole replies.</summary>
public sealed class RawSmtp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _pending = new();
    private readonly TimeSpan _timeout;

    private RawSmtp(TcpClient client, TimeSpan timeout)
    {
        _client = client;
        _stream = client.GetStream();
        _timeout = timeout;
    }

    public static async Task<RawSmtp> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var smtp = new RawSmtp(client, timeout ?? TimeSpan.FromSeconds(15));
        var greeting = await smtp.ReadReplyAsync();
        Assert.StartsWith("220", greeting);
        return smtp;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a command line (CRLF added) and returns the reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>One whole reply (all its lines); the last line's code starts it.</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(_timeout);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeout.Token) ?? throw new IOException($"connection closed; so far: {string.Join(" | ", lines)}");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join("\n", lines.Skip(lines.Count - 1).Concat(lines.Take(lines.Count - 1)));
            }
        }
    }

    /// <summary>True when the server closed the connection (reads return 0 or fail) within the timeout.</summary>
    public async Task<bool> IsClosedAsync()
    {
        using var timeout = new CancellationTokenSource(_timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1];
        while (true)
        {
            var text = _pending.ToString();
            var newline = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (newline >= 0)
            {
                _pending.Remove(0, newline + 2);
                return text[..newline];
            }

            var read = await _stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _pending.Append((char)buffer[0]);
        }
    }
}
