using SmtpServer.Authentication;
using SmtpServer.IO;
using SmtpServer.Net;
using SmtpServer.Protocol;

namespace Continuity.Mail.Submission;

/// <summary>
/// AUTH PLAIN / LOGIN with the gateway's app passwords, and OAUTHBEARER / XOAUTH2 with its access tokens when a validator is registered (the same <see cref="MailLogin"/> as IMAP, so the same
/// throttle). Without TLS only loopback clients may authenticate. A throttled attempt gets 454, a wrong one 535.
/// </summary>
internal sealed class SubmissionAuthenticator(MailLogin login, MailAccessOptions options) : IUserAuthenticator
{
    public async Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var ep) && ep is IPEndPoint ip
            ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address)
            : IPAddress.None;
        var secure = context.Pipe is ISecurableDuplexPipe { IsSecure: true };
        if (!secure && !(options.AllowPlaintextOnLoopback && IPAddress.IsLoopback(remote)))
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)538, "5.7.11 Encryption required for requested authentication mechanism"));
        }

        // OAUTHBEARER / XOAUTH2 arrive as PLAIN with a marked password (see AuthFrontLines).
        var outcome = password?.StartsWith(AuthFrontLines.Marker, StringComparison.Ordinal) == true
            ? await login.AuthenticateBearerAsync(user ?? "", password[AuthFrontLines.Marker.Length..], remote, "submission", cancellationToken).ConfigureAwait(false)
            : await login.AuthenticateAsync(user ?? "", password ?? "", remote, "submission", cancellationToken).ConfigureAwait(false);
        if (outcome.Account is { } account)
        {
            context.Properties[SubmissionKeys.Login] = account;
            return true;
        }

        switch (outcome.Result)
        {
            case LoginResult.Throttled:
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)454, "4.7.0 Too many failed logins; try again later"));
            case LoginResult.Unavailable:
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)454, "4.7.0 Temporary authentication failure"));
            default:
                return false;
        }
    }
}
