using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Continuity.Mail.Submission;

/// <summary>
/// Relays a submitted message to the submission backend of the provider the user is routed to <em>now</em>,
/// logged in as the user through the provider's master login or, for <see cref="MailLoginMode.OAuth2ClientCredentials"/>,
/// with SASL XOAUTH2 and the provider's app token from <paramref name="tokens"/> (a refused token is dropped and a
/// fresh one tried once), with the client's envelope. The reply the client
/// gets is the backend's: nothing is accepted that the backend did not accept. A backend that refuses the
/// user's login raises a cut-off signal.
/// </summary>
internal sealed partial class SubmissionRelay(
    ContinuityOptions continuity,
    RouteTable routes,
    ICutoffSignals signals,
    MailAccessOptions options,
    ILogger logger,
    AppTokenSource? tokens = null) : MessageStore
{
    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        var login = (MailAccount)context.Properties[SubmissionKeys.Login];
        var providerName = routes.Resolve(login.Tenant, login.User) ?? login.Provider;
        var provider = continuity.Tenants[login.Tenant].Providers[providerName];
        if (provider.Mail?.Submission is not { } uri || !BackendEndpoint.TryParse(uri, BackendEndpoint.SubmissionSchemes, out var endpoint))
        {
            return new SmtpResponse((SmtpReplyCode)451, "4.3.5 No submission service is configured for your account");
        }

        var mail = provider.Mail;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.BackendTimeout * 4);
        using var client = new SmtpClient();
        try
        {
            var security = endpoint.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
            await client.ConnectAsync(endpoint.Host, endpoint.Port, security, timeout.Token).ConfigureAwait(false);
            try
            {
                await AuthenticateAsync(client, login, providerName, mail.Login, timeout.Token).ConfigureAwait(false);
            }
            catch (AppTokenException ex)
            {
                Log.NoAppToken(logger, providerName, login.User, ex.Message);
                return new SmtpResponse((SmtpReplyCode)451, "4.7.0 The gateway cannot sign in to your mail provider right now; try again later");
            }
            catch (AuthenticationException ex)
            {
                var evidence = "submission AUTH refused: " + ex.Message;
                Log.Refused(logger, endpoint.ToString(), providerName, login.User, evidence);
                await RaiseAsync(new CutoffSignal(login.Tenant, login.User, providerName, "submission", evidence)).ConfigureAwait(false);
                return new SmtpResponse((SmtpReplyCode)451, "4.7.0 Your mail provider refused the message; your administrator has been notified");
            }

            using var stream = new MemoryStream(buffer.ToArray(), writable: false);
            var message = await MimeMessage.LoadAsync(stream, timeout.Token).ConfigureAwait(false);
            var sender = MailboxAddress.Parse(login.User);
            var recipients = transaction.To.Select(t => MailboxAddress.Parse($"{t.User}@{t.Host}")).ToList();
            var reply = await client.SendAsync(FormatOptions.Default, message, sender, recipients, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
            Log.Relayed(logger, login.User, providerName, recipients.Count);
            return new SmtpResponse(SmtpReplyCode.Ok, "2.0.0 Accepted by " + providerName + ": " + Trim(reply));
        }
        catch (SmtpCommandException ex)
        {
            Log.BackendError(logger, endpoint.ToString(), (int)ex.StatusCode, Trim(ex.Message));
            return new SmtpResponse((SmtpReplyCode)(int)ex.StatusCode, Trim(ex.Message));
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or SmtpProtocolException or SslHandshakeException or ServiceNotConnectedException)
        {
            Log.BackendError(logger, endpoint.ToString(), 451, ex.GetType().Name);
            return new SmtpResponse((SmtpReplyCode)451, "4.4.1 Your mail provider cannot be reached; try again later");
        }
    }

    private async Task AuthenticateAsync(SmtpClient client, MailAccount login, string provider, MailLoginOptions mail, CancellationToken cancellationToken)
    {
        if (mail.Mode != MailLoginMode.OAuth2ClientCredentials)
        {
            await client.AuthenticateAsync(login.User + "*" + mail.Master, mail.MasterPassword ?? "", cancellationToken).ConfigureAwait(false);
            return;
        }

        var source = tokens ?? throw new AppTokenException($"provider {login.Tenant}/{provider} logs in with an app token, but no AppTokenSource reaches the submission relay");
        var token = await source.GetAsync(login.Tenant, provider, mail.OAuth2, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(login.User, token), cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AuthenticationException)
        {
            source.Invalidate(login.Tenant, provider, token); // revoked or expired early: one more try with a fresh token
        }

        token = await source.GetAsync(login.Tenant, provider, mail.OAuth2, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(login.User, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException)
        {
            source.Invalidate(login.Tenant, provider, token);
            throw;
        }
    }

    private static string Trim(string text) => text.Length > 200 ? text[..200] : text.ReplaceLineEndings(" ");

    private async Task RaiseAsync(CutoffSignal signal)
    {
        try
        {
            await signals.RaiseAsync(signal).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SignalFailed(logger, signal.User ?? "", ex);
        }
    }
}
