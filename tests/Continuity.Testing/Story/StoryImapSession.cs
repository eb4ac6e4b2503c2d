using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Continuity.Testing.Story;

/// <summary>
/// A mail client's IMAP session through the gateway's IMAP proxy, on a raw socket so the test sees every line the
/// gateway sends (the <c>* BYE</c> of a route change included): LOGIN with an app password, SELECT INBOX, then it
/// sits there as a client in IDLE-less polling would.
/// </summary>
public sealed class StoryImapSession : IDisposable
{
    private static readonly TimeSpan LineDeadline = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _tag;

    private StoryImapSession(TcpClient connected)
    {
        _tcp = connected;
        _stream = connected.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Messages the last SELECT reported (<c>* n EXISTS</c>).</summary>
    public int Exists { get; private set; }

    /// <summary>Every line the gateway sent, in order (for failure messages).</summary>
    public List<string> Transcript { get; } = [];

    /// <summary>Connects to the proxy on <paramref name="port"/>, logs in as <paramref name="user"/> and selects INBOX.</summary>
    public static async Task<StoryImapSession> OpenAsync(int port, string user, string password, CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var session = new StoryImapSession(tcp);
        try
        {
            var greeting = await session.ReadLineAsync(cancellationToken);
            if (greeting is null || !greeting.StartsWith("* OK", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"IMAP proxy greeting: {greeting ?? "(closed)"}");
            }

            await session.CommandAsync($"LOGIN {user} \"{password}\"", cancellationToken);
            await session.SelectInboxAsync(cancellationToken);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>SELECT INBOX again; sets <see cref="Exists"/>.</summary>
    public async Task SelectInboxAsync(CancellationToken cancellationToken = default)
    {
        var lines = await CommandAsync("SELECT INBOX", cancellationToken);
        Exists = lines.Select(l => l.Split(' ')).Where(p => p.Length == 3 && p[0] == "*" && p[2] == "EXISTS")
            .Select(p => int.Parse(p[1], CultureInfo.InvariantCulture)).LastOrDefault();
    }

    /// <summary>Reads until the gateway closes the session; returns the lines it sent meanwhile (a route change: one <c>* BYE</c>).</summary>
    public async Task<IReadOnlyList<string>> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        try
        {
            while (await ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
            }
        }
        catch (IOException)
        {
            // A reset after the BYE is a close too.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the gateway kept the IMAP session open for {timeout.TotalSeconds:0} s; it sent: {string.Join(" | ", lines)}");
        }

        return lines;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task<List<string>> CommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = "S" + (++_tag).ToString(CultureInfo.InvariantCulture);
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} {command}\r\n"), cancellationToken);
        var lines = new List<string>();
        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line.StartsWith(tag + " OK", StringComparison.Ordinal)
                    ? lines
                    : throw new InvalidOperationException($"IMAP proxy answered {command.Split(' ')[0]} with: {line}");
            }
        }

        throw new InvalidOperationException($"IMAP proxy closed the session during {command.Split(' ')[0]}: {string.Join(" | ", lines)}");
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LineDeadline);
        var line = await _reader.ReadLineAsync(deadline.Token);
        if (line is not null)
        {
            Transcript.Add(line);
        }

        return line;
    }
}
