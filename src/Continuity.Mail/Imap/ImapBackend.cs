using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Text;
using Continuity.Core.Configuration;
using Continuity.Mail.Proxy;

namespace Continuity.Mail.Imap;

/// <summary>
/// Opens the user's session on the routed provider's IMAP backend: connect (TLS for <c>imaps://</c>), read the
/// greeting, <c>LOGIN "user*master" "password"</c> under the client's own tag, and keep everything the backend
/// said up to and including its tagged reply, so the client gets the backend's <c>OK [CAPABILITY …]</c> unchanged.
/// </summary>
internal static class ImapBackend
{
    private const int MaxLine = 64 * 1024;

    public static async Task<BackendLogin> LoginAsync(BackendEndpoint endpoint, MailLoginOptions login, string user, string tag, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(login.Master) || login.MasterPassword is null)
        {
            return new BackendLogin(BackendLoginStatus.Unreachable, Evidence: "no master login configured");
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

            var command = $"{tag} LOGIN {Quote(user + "*" + login.Master)} {Quote(login.MasterPassword)}\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), cancellationToken).ConfigureAwait(false);
            var response = new MemoryStream();
            var tagged = Encoding.ASCII.GetBytes(tag + " ");
            while (true)
            {
                var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.Status == LineStatus.Closed)
                {
                    // Dovecot closes without a reply when a master login names a user its userdb no longer has.
                    Fail(client, stream, "");
                    return new BackendLogin(BackendLoginStatus.Refused, Evidence: "IMAP connection closed in answer to the master LOGIN");
                }

                if (line.Status == LineStatus.TooLong || response.Length > MaxLine)
                {
                    return Fail(client, stream, "response too long during login");
                }

                response.Write(line.Line.Span);
                response.Write("\r\n"u8);
                if (!line.Line.Span.StartsWith(tagged))
                {
                    continue;
                }

                var status = line.Line.Span[tagged.Length..];
                if (status.StartsWith("OK"u8))
                {
                    response.Write(reader.Buffered.Span); // anything sent after the reply belongs to the client too
                    return new BackendLogin(BackendLoginStatus.LoggedIn, stream, response.ToArray());
                }

                var evidence = "IMAP " + Encoding.ASCII.GetString(status[..Math.Min(status.Length, 200)]);
                var refused = status.StartsWith("NO"u8);
                Fail(client, stream, evidence);
                return new BackendLogin(refused ? BackendLoginStatus.Refused : BackendLoginStatus.Unreachable, Evidence: evidence);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            return Fail(client, stream, ex is OperationCanceledException ? "timeout" : ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>An IMAP quoted string; the validator keeps CR, LF and NUL out of the master credentials.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static BackendLogin Fail(TcpClient client, Stream? stream, string evidence)
    {
        stream?.Dispose();
        client.Dispose();
        return new BackendLogin(BackendLoginStatus.Unreachable, Evidence: evidence);
    }
}
