using System.Net.Sockets;
using System.Text;

namespace Continuity.Mail.Lmtp;

/// <summary>
/// A small LMTP client (RFC 2033): LHLO, then per message MAIL, RCPT for each recipient, DATA, and one reply
/// per accepted recipient after the final dot. MailKit has none, and Dovecot takes delivery only by LMTP.
/// Commands are pipelined when the server offers PIPELINING (RFC 2920). Every read and write is bounded by
/// the command timeout; a protocol breach or timeout throws <see cref="IOException"/> and the connection is dropped.
/// </summary>
internal sealed class LmtpClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ReplyReader _reader;
    private readonly TimeSpan _commandTimeout;
    private readonly TimeProvider _time;

    private LmtpClient(Stream stream, TimeSpan commandTimeout, TimeProvider time)
    {
        _stream = stream;
        _reader = new ReplyReader(stream);
        _commandTimeout = commandTimeout;
        _time = time;
    }

    public bool Pipelining { get; private set; }

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    /// <summary>False after any failure: the connection must not be reused.</summary>
    public bool IsHealthy { get; private set; } = true;

    public DateTimeOffset LastUsed { get; private set; }

    public static async Task<LmtpClient> ConnectAsync(
        string host, int port, string lhloName, TimeSpan connectTimeout, TimeSpan commandTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var timeout = new CancellationTokenSource(connectTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            }

            return await HandshakeAsync(new NetworkStream(socket, ownsSocket: true), lhloName, commandTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Greeting and LHLO over an already connected stream (transcript tests use this).</summary>
    public static async Task<LmtpClient> HandshakeAsync(Stream stream, string lhloName, TimeSpan commandTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new LmtpClient(stream, commandTimeout, time);
        try
        {
            var greeting = await client.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                throw new LmtpProtocolException($"greeting: {greeting}");
            }

            await client.WriteAsync($"LHLO {lhloName}\r\n", cancellationToken).ConfigureAwait(false);
            var lhlo = await client.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (lhlo.Code != 250)
            {
                throw new LmtpProtocolException($"LHLO: {lhlo}");
            }

            client.Capabilities = [.. lhlo.Text.Split('\n').Skip(1).Select(l => l.Trim())];
            client.Pipelining = client.Capabilities.Any(c => c.Equals("PIPELINING", StringComparison.OrdinalIgnoreCase));
            client.LastUsed = time.GetUtcNow();
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Delivers <paramref name="body"/> to <paramref name="recipients"/> and returns one reply per recipient, in order:
    /// the RCPT refusal, or the server's reply after DATA for that recipient.
    /// </summary>
    public async Task<IReadOnlyList<LmtpReply>> SendAsync(string from, IReadOnlyList<string> recipients, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var replies = await TransactAsync(from, recipients, body, cancellationToken).ConfigureAwait(false);
            LastUsed = _time.GetUtcNow();
            return replies;
        }
        catch
        {
            IsHealthy = false;
            throw;
        }
    }

    /// <summary>RSET: checks that a pooled connection still works.</summary>
    public async Task<bool> ResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync("RSET\r\n", cancellationToken).ConfigureAwait(false);
            return (await ReadAsync(cancellationToken).ConfigureAwait(false)).Code == 250;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            IsHealthy = false;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsHealthy)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
                await _stream.WriteAsync("QUIT\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<LmtpReply>> TransactAsync(string from, IReadOnlyList<string> recipients, Stream body, CancellationToken cancellationToken)
    {
        var commands = new List<string>(recipients.Count + 2) { $"MAIL FROM:<{Clean(from)}>\r\n" };
        commands.AddRange(recipients.Select(r => $"RCPT TO:<{Clean(r)}>\r\n"));
        commands.Add("DATA\r\n");

        var rcptReplies = new LmtpReply[recipients.Count];
        LmtpReply mail;
        LmtpReply data;
        if (Pipelining)
        {
            await WriteAsync(string.Concat(commands), cancellationToken).ConfigureAwait(false);
            mail = await ReadAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < recipients.Count; i++)
            {
                rcptReplies[i] = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            data = await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            mail = await CommandAsync(commands[0], cancellationToken).ConfigureAwait(false);
            if (!mail.IsPositive)
            {
                await ResetAsync(cancellationToken).ConfigureAwait(false);
                return [.. recipients.Select(_ => mail)];
            }

            for (var i = 0; i < recipients.Count; i++)
            {
                rcptReplies[i] = await CommandAsync(commands[i + 1], cancellationToken).ConfigureAwait(false);
            }

            data = rcptReplies.Any(r => r.IsPositive)
                ? await CommandAsync("DATA\r\n", cancellationToken).ConfigureAwait(false)
                : new LmtpReply(554, "5.5.1 No valid recipients");
        }

        if (!mail.IsPositive)
        {
            await ResetIfOpenAsync(data, cancellationToken).ConfigureAwait(false);
            return [.. recipients.Select(_ => mail)];
        }

        if (data.Code != 354)
        {
            await ResetIfOpenAsync(data, cancellationToken).ConfigureAwait(false);
            return [.. rcptReplies.Select(r => r.IsPositive ? data : r)];
        }

        using (var timeout = new CancellationTokenSource(_commandTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            await DotStuffer.CopyAsync(body, _stream, linked.Token).ConfigureAwait(false);
            await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }

        var result = new LmtpReply[recipients.Count];
        for (var i = 0; i < recipients.Count; i++)
        {
            result[i] = rcptReplies[i].IsPositive ? await ReadAsync(cancellationToken).ConfigureAwait(false) : rcptReplies[i];
        }

        return result;
    }

    private async Task ResetIfOpenAsync(LmtpReply data, CancellationToken cancellationToken)
    {
        if (data.Code == 354)
        {
            // Should not happen (no recipient, yet DATA accepted): end the empty message so the session stays in step.
            IsHealthy = false;
            return;
        }

        await ResetAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<LmtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await WriteAsync(command, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_commandTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), linked.Token).ConfigureAwait(false);
        await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
    }

    private async Task<LmtpReply> ReadAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_commandTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no reply from the LMTP server within the command timeout");
        }
    }

    /// <summary>Addresses come from the spool, which took them from SmtpServer's parser; still, never let CR/LF or '&gt;' through.</summary>
    private static string Clean(string address) =>
        address.Contains('\r', StringComparison.Ordinal) || address.Contains('\n', StringComparison.Ordinal) || address.Contains('>', StringComparison.Ordinal)
            ? throw new ArgumentException("address contains CR, LF or '>'", nameof(address))
            : address;
}
