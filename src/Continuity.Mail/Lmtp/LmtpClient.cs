namespace Continuity.Mail.Lmtp;

/// <summary>
/// A small delivery client for LMTP (RFC 2033, which MailKit lacks and Dovecot requires) and SMTP (RFC 5321): greeting,
/// LHLO or EHLO, then per message MAIL, RCPT for each recipient, DATA and the spooled bytes, dot-stuffed and otherwise
/// unchanged (MailKit's SmtpClient would re-serialise them through MimeKit, which repairs malformed MIME). Commands
/// are pipelined when the server offers PIPELINING (RFC 2920). <c>smtps://</c> starts with TLS; an <c>smtp://</c>
/// server that offers STARTTLS gets it (the certificate checked against the system's trust, as MailKit did).
/// Every read and write is bounded by the command timeout; a protocol breach or timeout throws
/// <see cref="IOException"/> (a failed TLS handshake <see cref="System.Security.Authentication.AuthenticationException"/>)
/// and the connection is dropped.
/// </summary>
internal sealed partial class LmtpClient : IAsyncDisposable
{
    private readonly DeliveryProtocol _protocol;
    private readonly string _heloName;
    private readonly TimeSpan _commandTimeout;
    private readonly TimeProvider _time;
    private Stream _stream;
    private ReplyReader _reader;

    private LmtpClient(Stream stream, DeliveryProtocol protocol, string heloName, TimeSpan commandTimeout, TimeProvider time)
    {
        _stream = stream;
        _reader = new ReplyReader(stream);
        _protocol = protocol;
        _heloName = heloName;
        _commandTimeout = commandTimeout;
        _time = time;
    }

    public DeliveryProtocol Protocol => _protocol;

    public bool Pipelining { get; private set; }

    /// <summary>The server takes 8-bit bodies (RFC 6152): MAIL carries <c>BODY=8BITMIME</c>.</summary>
    public bool EightBitMime { get; private set; }

    public bool IsSecure => _stream is SslStream;

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    /// <summary>False after any failure: the connection must not be reused.</summary>
    public bool IsHealthy { get; private set; } = true;

    public DateTimeOffset LastUsed { get; private set; }

    /// <param name="backend"><c>lmtp://</c>, <c>smtp://</c> (STARTTLS when offered) or <c>smtps://</c> (TLS from the start) with host and port.</param>
    public static async Task<LmtpClient> ConnectAsync(
        Uri backend, string heloName, TimeSpan connectTimeout, TimeSpan commandTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var protocol = backend.Scheme == "lmtp" ? DeliveryProtocol.Lmtp : DeliveryProtocol.Smtp;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            using (var timeout = new CancellationTokenSource(connectTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                await socket.ConnectAsync(backend.Host, backend.Port, linked.Token).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
                if (backend.Scheme == "smtps")
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = tls;
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = backend.IdnHost }, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }

        var client = await HandshakeAsync(stream, protocol, heloName, commandTimeout, time, cancellationToken).ConfigureAwait(false);
        if (client.IsSecure || !client.Has("STARTTLS"))
        {
            return client;
        }

        try
        {
            await client.StartTlsAsync(backend.IdnHost, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.IsHealthy = false;
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Greeting and LHLO/EHLO over an already connected stream (transcript tests use this).</summary>
    public static async Task<LmtpClient> HandshakeAsync(
        Stream stream, DeliveryProtocol protocol, string heloName, TimeSpan commandTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new LmtpClient(stream, protocol, heloName, commandTimeout, time);
        try
        {
            var greeting = await client.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                throw new LmtpProtocolException($"greeting: {greeting}");
            }

            await client.HelloAsync(cancellationToken).ConfigureAwait(false);
            client.LastUsed = time.GetUtcNow();
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
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
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or TimeoutException)
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

    /// <summary>LHLO or EHLO; an SMTP server that does not know EHLO (500/502) gets HELO and is used without extensions.</summary>
    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var command = _protocol == DeliveryProtocol.Lmtp ? "LHLO" : "EHLO";
        var reply = await CommandAsync($"{command} {_heloName}\r\n", cancellationToken).ConfigureAwait(false);
        if (_protocol == DeliveryProtocol.Smtp && reply.Code is 500 or 502)
        {
            command = "HELO";
            reply = await CommandAsync($"HELO {_heloName}\r\n", cancellationToken).ConfigureAwait(false);
        }

        if (reply.Code != 250)
        {
            throw new LmtpProtocolException($"{command}: {reply}");
        }

        Capabilities = command == "HELO" ? [] : [.. reply.Text.Split('\n').Skip(1).Select(l => l.Trim())];
        Pipelining = Has("PIPELINING");
        EightBitMime = Has("8BITMIME");
    }

    /// <summary>RFC 3207: STARTTLS, 220, the handshake, and EHLO again (what the server offered before TLS is forgotten).</summary>
    private async Task StartTlsAsync(string targetHost, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("STARTTLS\r\n", cancellationToken).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            throw new LmtpProtocolException($"STARTTLS: {reply}");
        }

        if (_reader.HasBuffered)
        {
            // Bytes sent before the handshake would be read as if they came over TLS (CVE-2011-0411 in reverse).
            throw new LmtpProtocolException("server sent data after its STARTTLS reply");
        }

        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        _reader = new ReplyReader(tls);
        using (var timeout = new CancellationTokenSource(_commandTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }, linked.Token).ConfigureAwait(false);
        }

        await HelloAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool Has(string extension) =>
        Capabilities.Any(c => c.Split(' ', 2)[0].Equals(extension, StringComparison.OrdinalIgnoreCase));

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
            throw new TimeoutException($"no reply from the {_protocol.ToString().ToUpperInvariant()} server within the command timeout");
        }
    }
}
