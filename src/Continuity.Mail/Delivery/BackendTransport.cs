using System.Net.Sockets;
using Continuity.Mail.Configuration;
using Continuity.Mail.Lmtp;
using Continuity.Mail.Spool;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Continuity.Mail.Delivery;

/// <summary>
/// Delivers to <c>lmtp://</c> backends with the project's <see cref="LmtpClient"/> (pooled) and to <c>smtp://</c> /
/// <c>smtps://</c> backends with MailKit's <see cref="SmtpClient"/>, always with the explicit envelope. The LMTP path
/// copies the spooled bytes verbatim; the SMTP path hands MailKit the message parsed from those bytes, which it
/// writes back unchanged (MimeKit keeps raw headers and undecoded bodies).
/// </summary>
internal sealed partial class BackendTransport(
    LmtpConnectionPool lmtp, IOptions<MailOptions> options, TimeProvider time, ILogger<BackendTransport> logger) : IBackendTransport
{
    public async Task<IReadOnlyList<LmtpReply>> DeliverAsync(Uri backend, string from, IReadOnlyList<string> recipients, QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(recipients);
        try
        {
            return backend.Scheme == "lmtp"
                ? await DeliverLmtpAsync(backend, from, recipients, message, cancellationToken).ConfigureAwait(false)
                : await DeliverSmtpAsync(backend, from, recipients, message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or OperationCanceledException
            or ServiceNotConnectedException or ProtocolException or SslHandshakeException or CommandException
            && !cancellationToken.IsCancellationRequested)
        {
            LogBackendFailed(logger, backend.GetLeftPart(UriPartial.Authority), e.Message);
            var reply = LmtpReply.LocalTransient($"{backend.Host}:{backend.Port} {Describe(e)}");
            return [.. recipients.Select(_ => reply)];
        }
    }

    private async Task<IReadOnlyList<LmtpReply>> DeliverLmtpAsync(Uri backend, string from, IReadOnlyList<string> recipients, QueuedMessage message, CancellationToken cancellationToken)
    {
        var client = await lmtp.RentAsync(backend, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var body = SpoolStore.OpenBody(message);
            return await client.SendAsync(from, recipients, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await lmtp.ReturnAsync(backend, client).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<LmtpReply>> DeliverSmtpAsync(Uri backend, string from, IReadOnlyList<string> recipients, QueuedMessage message, CancellationToken cancellationToken)
    {
        var delivery = options.Value.Delivery;
        using var client = new RecordingSmtpClient();
        client.Timeout = (int)delivery.CommandTimeout.TotalMilliseconds;
        var security = backend.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        using (var connect = new CancellationTokenSource(delivery.ConnectTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connect.Token))
        {
            await client.ConnectAsync(backend.Host, backend.Port, security, linked.Token).ConfigureAwait(false);
        }

        await using var body = SpoolStore.OpenBody(message);
        using var mime = await MimeMessage.LoadAsync(body, persistent: false, cancellationToken).ConfigureAwait(false);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        var sender = from.Length == 0 ? new MailboxAddress("", "") : MailboxAddress.Parse(from);
        try
        {
            var response = await client.SendAsync(format, mime, sender, recipients.Select(MailboxAddress.Parse), cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return [.. recipients.Select(r => client.Refused.TryGetValue(r, out var refused) ? Reply(refused) : new LmtpReply(250, response))];
        }
        catch (SmtpCommandException e)
        {
            // MAIL or DATA refused: the same answer for every recipient not already refused at RCPT.
            var reply = new LmtpReply((int)e.StatusCode, e.Message);
            return [.. recipients.Select(r => client.Refused.TryGetValue(r, out var refused) ? Reply(refused) : reply)];
        }
    }

    private static LmtpReply Reply(MailKit.Net.Smtp.SmtpResponse response) => new((int)response.StatusCode, response.Response);

    private static string Describe(Exception e) => e switch
    {
        SocketException s => $"connect failed: {s.SocketErrorCode}",
        TimeoutException or OperationCanceledException => "timed out",
        _ => SpoolJournal.Clean(e.Message),
    };

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Backend {Backend} failed: {Reason}")]
    private static partial void LogBackendFailed(ILogger logger, string backend, string reason);
}
