using System.Net;
using System.Net.Sockets;

namespace Continuity.Gateway.Drills;

/// <summary>
/// A live drill's mail client: one IMAP session through this node's IMAP proxy (plain, on the listener's own
/// address: the proxy accepts a password there only from loopback), LOGIN with the drill's temporary app password and
/// SELECT INBOX, then it waits to be closed by the route change as a real client's session is. Raw lines, so the
/// drill sees the proxy's <c>* BYE</c> itself.
/// </summary>
internal sealed class DrillImapSession : IDisposable
{
    private static readonly TimeSpan LineDeadline = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _tag;

    private DrillImapSession(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Messages INBOX held at the last SELECT.</summary>
    public int Exists { get; private set; }

    public static async Task<DrillImapSession> OpenAsync(IPEndPoint proxy, string user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var tcp = new TcpClient(proxy.AddressFamily);
        try
        {
            await tcp.ConnectAsync(proxy, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var session = new DrillImapSession(tcp);
        try
        {
            var greeting = await session.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (greeting is null || !greeting.StartsWith("* OK", StringComparison.Ordinal))
            {
                throw new IOException($"the IMAP proxy greeted with: {greeting ?? "(closed)"}");
            }

            await session.CommandAsync($"LOGIN \"{user}\" \"{password}\"", cancellationToken).ConfigureAwait(false);
            var lines = await session.CommandAsync("SELECT INBOX", cancellationToken).ConfigureAwait(false);
            session.Exists = lines.Select(l => l.Split(' ')).Where(p => p.Length == 3 && p[0] == "*" && p[2] == "EXISTS")
                .Select(p => int.Parse(p[1], CultureInfo.InvariantCulture)).LastOrDefault();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Whether INBOX holds a message with this Message-ID (<c>UID SEARCH HEADER</c>).</summary>
    public async Task<bool> HoldsAsync(string messageId, CancellationToken cancellationToken)
    {
        var lines = await CommandAsync($"UID SEARCH HEADER Message-ID \"{messageId}\"", cancellationToken).ConfigureAwait(false);
        return lines.Any(l => l.StartsWith("* SEARCH ", StringComparison.Ordinal) && l.Length > "* SEARCH ".Length);
    }

    /// <summary>Reads until the proxy closes the session; true when it said <c>* BYE</c> first.</summary>
    public async Task<bool> WaitClosedAsync(CancellationToken cancellationToken)
    {
        var bye = false;
        try
        {
            while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                bye |= line.StartsWith("* BYE", StringComparison.Ordinal);
            }
        }
        catch (IOException)
        {
            // A reset after the BYE is a close too.
        }

        return bye;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task<List<string>> CommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = "D" + (++_tag).ToString(CultureInfo.InvariantCulture);
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} {command}\r\n"), cancellationToken).ConfigureAwait(false);
        var lines = new List<string>();
        var verb = command.Split(' ')[0];
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line.StartsWith(tag + " OK", StringComparison.Ordinal) ? lines : throw new IOException($"the IMAP proxy answered {verb} with: {line[(tag.Length + 1)..]}");
            }
        }

        throw new IOException($"the IMAP proxy closed the session during {verb}");
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LineDeadline);
        return await _reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
    }
}
