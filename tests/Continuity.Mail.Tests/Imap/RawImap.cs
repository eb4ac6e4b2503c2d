using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Continuity.Mail.Tests.Imap;

/// <summary>A byte-level client for protocol tests: send exact bytes, read exact lines, see the close.</summary>
internal sealed class RawImap : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);
    private readonly TcpClient _client;
    private readonly List<byte> _pending = [];

    private RawImap(TcpClient client)
    {
        _client = client;
        Stream = client.GetStream();
    }

    public Stream Stream { get; private set; }

    public static async Task<RawImap> ConnectAsync(int port, string localAddress = "127.0.0.1")
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(localAddress), 0));
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawImap(client);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    /// <summary>The next line without CR LF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }

            int n;
            try
            {
                n = await Stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                n = 0;
            }

            if (n == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads until a line starting with <paramref name="prefix"/>; returns every line read.</summary>
    public async Task<List<string>> ReadUntilAsync(string prefix)
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return lines;
            }
        }

        throw new Xunit.Sdk.XunitException($"Connection closed before '{prefix}'. Got:\n{string.Join("\n", lines)}");
    }

    /// <summary>Starts TLS on the connection (after STARTTLS, or at once for the implicit port), trusting the test certificate.</summary>
    public async Task StartTlsAsync()
    {
        Assert.Empty(_pending);
        var tls = new SslStream(Stream, false, (_, certificate, _, _) => certificate?.Subject == "CN=mail.demo.test");
        await tls.AuthenticateAsClientAsync("mail.demo.test");
        Stream = tls;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _client.Dispose();
    }
}
