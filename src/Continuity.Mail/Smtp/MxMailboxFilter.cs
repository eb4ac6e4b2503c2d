using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Continuity.Mail.Smtp;

/// <summary>
/// MAIL FROM and RCPT TO checks. Refusals are thrown as <see cref="SmtpResponseException"/> so the client gets
/// the precise code (SmtpServer answers a plain <c>false</c> with a generic 550).
/// </summary>
internal sealed class MxMailboxFilter(RecipientPolicy policy, IOptions<MailOptions> options) : IMailboxFilter
{
    /// <summary>RFC 5321 4.5.3.1.3 (path) and 4.5.3.1.1 (local part).</summary>
    internal const int MaxAddressLength = 254;
    internal const int MaxLocalPartLength = 64;

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox @from, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (size > options.Value.Limits.MaxMessageSize)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)552, "5.3.4 Message size exceeds fixed maximum message size"));
        }

        var sender = MxAddress.Of(@from);
        if (sender.Length > MaxAddressLength || sender.IndexOf('@', StringComparison.Ordinal) > MaxLocalPartLength)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)553, "5.1.7 Sender address too long (RFC 5321 4.5.3.1)"));
        }

        context.Properties[MxSessionKeys.RecipientCount] = 0;
        if (context.Properties.TryGetValue(MxSessionKeys.Connection, out var connection) && connection is IdleTimeoutStream stream)
        {
            stream.MailAccepted();
        }

        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.Properties.TryGetValue(MxSessionKeys.RecipientCount, out var c) && c is int n ? n : 0;
        if (count >= options.Value.Limits.MaxRecipients)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)452, "4.5.3 Too many recipients"));
        }

        var decision = policy.Decide(MxAddress.Of(to));
        if (!decision.Accepted)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)decision.Code, decision.Text));
        }

        context.Properties[MxSessionKeys.RecipientCount] = count + 1;
        return Task.FromResult(true);
    }
}
