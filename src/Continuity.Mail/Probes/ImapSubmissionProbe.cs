using System.Security.Authentication;

namespace Continuity.Mail.Probes;

/// <summary>
/// One probe of a provider's IMAP or submission backend, as a mail client would start a session: connect (TLS
/// handshake for <c>imaps://</c> and <c>smtps://</c>), then for IMAP the greeting (<c>* OK</c>) and <c>CAPABILITY</c>
/// (tagged OK) and <c>LOGOUT</c>; for submission the 220 banner, <c>EHLO</c> (250) and <c>QUIT</c>. Everything from the
/// connect to the answer to CAPABILITY/EHLO runs under one deadline on the injected clock, with bounded reads: a
/// backend that accepts and never greets, or floods, is down, and the probe never hangs or grows.
/// </summary>
internal static class ImapSubmissionProbe
{
    private const int MaxDetail = 200;
    private const int MaxImapLine = 8192;
    private const int MaxImapLines = 100;

    public static Task<ProbeOutcome> ProbeImapAsync(BackendEndpoint backend, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(backend, timeout, time, ImapAsync, cancellationToken);

    public static Task<ProbeOutcome> ProbeSubmissionAsync(BackendEndpoint backend, string heloName, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(backend, timeout, time, (stream, stage, token) => SubmissionAsync(stream, heloName, stage, token), cancellationToken);

    private static async Task<ProbeOutcome> RunAsync(
        BackendEndpoint backend,
        TimeSpan timeout,
        TimeProvider time,
        Func<Stream, Stage, CancellationToken, Task<ProbeOutcome>> session,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var stage = new Stage { Name = "connect" };
        try
        {
            await socket.ConnectAsync(backend.Host, backend.Port, linked.Token).ConfigureAwait(false);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            Stream stream = network;
            if (backend.ImplicitTls)
            {
                stage.Name = "TLS handshake";
                var tls = new SslStream(network, leaveInnerStreamOpen: true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = backend.Host }, linked.Token).ConfigureAwait(false);
                stream = tls;
            }

            await using (stream.ConfigureAwait(false))
            {
                return await session(stream, stage, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Down($"no answer within {timeout.TotalSeconds:0.###} s ({stage.Name})");
        }
        catch (SocketException e)
        {
            return Down($"{stage.Name} failed: {e.SocketErrorCode}");
        }
        catch (Exception e) when (e is IOException or AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            return Down($"{stage.Name}: {e.Message}");
        }
    }

    private static async Task<ProbeOutcome> ImapAsync(Stream stream, Stage stage, CancellationToken cancellationToken)
    {
        var reader = new BoundedReader(stream, MaxImapLine);
        stage.Name = "greeting";
        var greeting = await ReadImapLineAsync(reader, cancellationToken).ConfigureAwait(false);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase))
        {
            return Down($"greeting: {greeting}");
        }

        stage.Name = "CAPABILITY";
        await stream.WriteAsync("p1 CAPABILITY\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        for (var lines = 0; ; lines++)
        {
            if (lines == MaxImapLines)
            {
                return Down($"CAPABILITY: no tagged reply within {MaxImapLines} lines");
            }

            var line = await ReadImapLineAsync(reader, cancellationToken).ConfigureAwait(false);
            if (line.StartsWith("p1 ", StringComparison.Ordinal))
            {
                if (!line.AsSpan(3).StartsWith("OK", StringComparison.OrdinalIgnoreCase))
                {
                    return Down($"CAPABILITY: {line}");
                }

                break;
            }
        }

        await PoliteEndAsync(stream, "p2 LOGOUT\r\n"u8.ToArray(), () => reader.ReadLineAsync(cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        return new ProbeOutcome(true, Clip(greeting));
    }

    private static async Task<ProbeOutcome> SubmissionAsync(Stream stream, string heloName, Stage stage, CancellationToken cancellationToken)
    {
        var reader = new ReplyReader(stream);
        stage.Name = "banner";
        var banner = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (banner.Code != 220)
        {
            return Down($"banner: {banner}");
        }

        stage.Name = "EHLO";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"EHLO {heloName}\r\n"), cancellationToken).ConfigureAwait(false);
        var reply = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            return Down($"EHLO: {reply}");
        }

        await PoliteEndAsync(stream, "QUIT\r\n"u8.ToArray(), () => reader.ReadAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return new ProbeOutcome(true, Clip($"{banner.Code} {banner.Text.Split('\n')[0]}"));
    }

    /// <summary>One IMAP line as text; a closed connection or an overlong line is an <see cref="IOException"/> (the probe's "down").</summary>
    private static async Task<string> ReadImapLineAsync(BoundedReader reader, CancellationToken cancellationToken)
    {
        var read = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return read.Status switch
        {
            LineStatus.Line => Encoding.UTF8.GetString(read.Line.Span),
            LineStatus.TooLong => throw new IOException($"line longer than {MaxImapLine} bytes"),
            _ => throw new IOException("connection closed"),
        };
    }

    /// <summary>LOGOUT / QUIT; the backend's answer does not change the verdict (the session worked, which is all the probe asks).</summary>
    private static async Task PoliteEndAsync(Stream stream, byte[] command, Func<Task> readAnswer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(command, cancellationToken).ConfigureAwait(false);
            await readAnswer().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Closed without an answer, or none before the deadline.
        }
    }

    private static ProbeOutcome Down(string detail) => new(false, Clip(detail));

    private static string Clip(string detail)
    {
        var clean = SpoolJournal.Clean(detail);
        return clean.Length <= MaxDetail ? clean : clean[..MaxDetail];
    }

    /// <summary>Where the probe is, for the reason given when it fails.</summary>
    private sealed class Stage
    {
        public required string Name { get; set; }
    }
}
