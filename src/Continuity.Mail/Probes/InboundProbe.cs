using System.Security.Authentication;

namespace Continuity.Mail.Probes;

/// <summary>
/// One probe of an inbound backend, as a sending MTA would start a session: connect, read the 220 banner, EHLO
/// (<c>smtp://</c>, <c>smtps://</c> after the TLS handshake) or LHLO (<c>lmtp://</c>, RFC 2033), QUIT. Everything
/// from the connect to the reply to EHLO/LHLO runs under one deadline on the injected clock: a backend that
/// accepts the connection and never greets is down after the timeout, and the probe never hangs.
/// </summary>
internal static class InboundProbe
{
    private const int MaxDetail = 200;

    public static async Task<ProbeOutcome> ProbeAsync(Uri backend, string heloName, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var stage = "connect";
        try
        {
            await socket.ConnectAsync(backend.Host, backend.Port, linked.Token).ConfigureAwait(false);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            Stream stream = network;
            if (backend.Scheme == "smtps")
            {
                stage = "TLS handshake";
                var tls = new SslStream(network, leaveInnerStreamOpen: true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = backend.IdnHost }, linked.Token).ConfigureAwait(false);
                stream = tls;
            }

            await using (stream.ConfigureAwait(false))
            {
                var reader = new ReplyReader(stream);
                stage = "banner";
                var banner = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                if (banner.Code != 220)
                {
                    return Down($"banner: {banner}");
                }

                var hello = backend.Scheme == "lmtp" ? "LHLO" : "EHLO";
                stage = hello;
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{hello} {heloName}\r\n"), linked.Token).ConfigureAwait(false);
                var reply = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                if (reply.Code != 250)
                {
                    return Down($"{hello}: {reply}");
                }

                await QuitAsync(stream, reader, linked.Token).ConfigureAwait(false);
                return new ProbeOutcome(true, Clip($"{banner.Code} {banner.Text.Split('\n')[0]}"));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Down($"no answer within {timeout.TotalSeconds:0.###} s ({stage})");
        }
        catch (SocketException e)
        {
            return Down($"{stage} failed: {e.SocketErrorCode}");
        }
        catch (Exception e) when (e is IOException or AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            return Down($"{stage}: {e.Message}");
        }
    }

    /// <summary>Polite end of the session; the backend's answer to QUIT does not change the verdict.</summary>
    private static async Task QuitAsync(Stream stream, ReplyReader reader, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            _ = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Closed without a 221, or no 221 before the deadline: the session worked, which is all the probe asks.
        }
    }

    private static ProbeOutcome Down(string detail) => new(false, Clip(detail));

    private static string Clip(string detail)
    {
        var clean = SpoolJournal.Clean(detail);
        return clean.Length <= MaxDetail ? clean : clean[..MaxDetail];
    }
}
