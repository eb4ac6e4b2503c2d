using System.Security.Authentication;

namespace Continuity.Mail.Imap;

/// <summary>
/// Opens the user's session on the routed provider's IMAP backend: connect (TLS for <c>imaps://</c>), read the
/// greeting, log in under the client's own tag, and keep everything the backend said up to and including its tagged
/// reply, so the client gets the backend's <c>OK [CAPABILITY …]</c> unchanged. The login follows the provider's
/// <see cref="MailLoginOptions.Mode"/>: <c>LOGIN "user*master" "password"</c>, or <c>AUTHENTICATE XOAUTH2</c> as the
/// user with the provider's app token from <see cref="AppTokenSource"/> (SASL-IR when the greeting offers it); a
/// refused token is dropped and a fresh one tried once on the same connection. No credential reaches a log.
/// </summary>
internal static class ImapBackend
{
    private const int MaxLine = 64 * 1024;

    /// <param name="account">The authenticated user: tenant, address and routed provider.</param>
    public static async Task<BackendLogin> LoginAsync(
        BackendEndpoint endpoint, MailLoginOptions login, AppTokenSource tokens, MailAccount account, string tag, CancellationToken cancellationToken)
    {
        var oauth = login.Mode == MailLoginMode.OAuth2ClientCredentials;
        if (!oauth && (string.IsNullOrEmpty(login.Master) || login.MasterPassword is null))
        {
            return new BackendLogin(BackendLoginStatus.Unreachable, Evidence: "no master login configured");
        }

        string? token = null;
        if (oauth)
        {
            try
            {
                token = await tokens.GetAsync(account.Tenant, account.Provider, login.OAuth2, cancellationToken).ConfigureAwait(false);
            }
            catch (AppTokenException e)
            {
                return new BackendLogin(BackendLoginStatus.NoAppToken, Evidence: e.Message);
            }
        }

        var client = new TcpClient { NoDelay = true };
        Stream? stream = null;
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            stream = client.GetStream();
            if (endpoint.ImplicitTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, cancellationToken).ConfigureAwait(false);
            }

            var reader = new BoundedReader(stream, MaxLine);
            var greeting = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Status != LineStatus.Line || !greeting.Line.Span.StartsWith("* OK"u8))
            {
                return Fail(client, stream, "unexpected greeting");
            }

            var session = new Exchange(stream, reader, tag);
            if (token is null) // no app token: the provider logs in with the master user
            {
                var command = $"{tag} LOGIN {Quote(account.User + "*" + login.Master)} {Quote(login.MasterPassword!)}\r\n";
                return Finish(client, stream, await session.RunAsync(Encoding.UTF8.GetBytes(command), sasl: false, null, cancellationToken).ConfigureAwait(false), "master LOGIN");
            }

            var saslIr = greeting.Line.Span.IndexOf(" SASL-IR"u8) >= 0;
            var first = await session.RunAsync(Xoauth2Command(tag, account.User, token, saslIr), sasl: true, saslIr ? null : Xoauth2Response(account.User, token), cancellationToken).ConfigureAwait(false);
            if (first.Status != BackendLoginStatus.Refused || first.Closed)
            {
                return Finish(client, stream, first, "XOAUTH2 login");
            }

            // Revoked or expired early: one more try with a fresh token.
            tokens.Invalidate(account.Tenant, account.Provider, token);
            try
            {
                token = await tokens.GetAsync(account.Tenant, account.Provider, login.OAuth2, cancellationToken).ConfigureAwait(false);
            }
            catch (AppTokenException e)
            {
                Fail(client, stream, "");
                return new BackendLogin(BackendLoginStatus.NoAppToken, Evidence: e.Message);
            }

            var second = await session.RunAsync(Xoauth2Command(tag, account.User, token, saslIr), sasl: true, saslIr ? null : Xoauth2Response(account.User, token), cancellationToken).ConfigureAwait(false);
            if (second.Status == BackendLoginStatus.Refused)
            {
                tokens.Invalidate(account.Tenant, account.Provider, token);
                second = second with { Evidence = second.Evidence + " (XOAUTH2 with a fresh app token)" };
            }

            return Finish(client, stream, second, "XOAUTH2 login");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            return Fail(client, stream, ex is OperationCanceledException ? "timeout" : ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>An IMAP quoted string; the validator keeps CR, LF and NUL out of the master credentials.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The XOAUTH2 initial response (base64 of <c>user=…^Aauth=Bearer …^A^A</c>).</summary>
    internal static byte[] Xoauth2Response(string user, string token) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001")) + "\r\n");

    private static byte[] Xoauth2Command(string tag, string user, string token, bool saslIr) => saslIr
        ? [.. Encoding.ASCII.GetBytes($"{tag} AUTHENTICATE XOAUTH2 "), .. Xoauth2Response(user, token)]
        : Encoding.ASCII.GetBytes($"{tag} AUTHENTICATE XOAUTH2\r\n");

    private static BackendLogin Finish(TcpClient client, Stream stream, Attempt attempt, string what)
    {
        if (attempt.Status == BackendLoginStatus.LoggedIn)
        {
            return new BackendLogin(BackendLoginStatus.LoggedIn, stream, attempt.Response);
        }

        Fail(client, stream, "");
        return new BackendLogin(attempt.Status, Evidence: attempt.Closed ? $"IMAP connection closed in answer to the {what}" : attempt.Evidence);
    }

    private static BackendLogin Fail(TcpClient client, Stream? stream, string evidence)
    {
        stream?.Dispose();
        client.Dispose();
        return new BackendLogin(BackendLoginStatus.Unreachable, Evidence: evidence);
    }

    private sealed record Attempt(BackendLoginStatus Status, byte[]? Response, string? Evidence, bool Closed = false);

    /// <summary>One login command and the backend's answer up to its tagged reply.</summary>
    private sealed class Exchange(Stream stream, BoundedReader reader, string tag)
    {
        private readonly byte[] _tagged = Encoding.ASCII.GetBytes(tag + " ");

        /// <param name="sasl">An AUTHENTICATE command: continuations are answered.</param>
        /// <param name="pending">Sent at the first continuation when the command carried no initial response.</param>
        public async Task<Attempt> RunAsync(byte[] command, bool sasl, byte[]? pending, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(command, cancellationToken).ConfigureAwait(false);
            var response = new MemoryStream();
            while (true)
            {
                var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.Status == LineStatus.Closed)
                {
                    // Dovecot closes without a reply when a login names a user its userdb no longer has.
                    return new Attempt(BackendLoginStatus.Refused, null, null, Closed: true);
                }

                if (line.Status == LineStatus.TooLong || response.Length > MaxLine)
                {
                    return new Attempt(BackendLoginStatus.Unreachable, null, "response too long during login");
                }

                if (sasl && line.Line.Span.StartsWith("+"u8))
                {
                    // The challenge for the initial response, or XOAUTH2's error JSON (RFC 7628 3.2.2 style):
                    // that one is answered with an empty line, and the tagged NO follows.
                    await stream.WriteAsync(pending ?? "\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                response.Write(line.Line.Span);
                response.Write("\r\n"u8);
                if (!line.Line.Span.StartsWith(_tagged))
                {
                    continue;
                }

                var status = line.Line.Span[_tagged.Length..];
                if (status.StartsWith("OK"u8))
                {
                    response.Write(reader.Buffered.Span); // anything sent after the reply belongs to the client too
                    return new Attempt(BackendLoginStatus.LoggedIn, response.ToArray(), null);
                }

                var evidence = "IMAP " + Encoding.ASCII.GetString(status[..Math.Min(status.Length, 200)]);
                return new Attempt(status.StartsWith("NO"u8) ? BackendLoginStatus.Refused : BackendLoginStatus.Unreachable, null, evidence);
            }
        }
    }
}
