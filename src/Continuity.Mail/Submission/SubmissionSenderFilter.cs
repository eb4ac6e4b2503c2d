using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Continuity.Mail.Submission;

/// <summary>
/// The envelope sender must be the authenticated user's own address (RFC 6409 section 6.1: the submission server
/// may check it); anything else, including the null sender, is refused with 553 5.7.1.
/// </summary>
internal sealed class SubmissionSenderFilter : IMailboxFilter
{
    /// <summary>Recipients per message; RFC 5321 asks for at least 100.</summary>
    internal const int MaxRecipients = 500;

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox @from, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Properties.TryGetValue(SubmissionKeys.Login, out var value) || value is not MailAccount login)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)530, "5.7.0 Authentication required"));
        }

        var sender = @from is null || string.IsNullOrEmpty(@from.Host) ? "" : $"{@from.User}@{@from.Host}";
        if (!string.Equals(sender, login.User, StringComparison.OrdinalIgnoreCase))
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)553, $"5.7.1 Sender address rejected: not owned by {login.User}"));
        }

        context.Properties[nameof(MaxRecipients)] = 0;
        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.Properties.TryGetValue(nameof(MaxRecipients), out var c) && c is int n ? n : 0;
        if (count >= MaxRecipients)
        {
            throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)452, "4.5.3 Too many recipients"));
        }

        context.Properties[nameof(MaxRecipients)] = count + 1;
        return Task.FromResult(true);
    }
}
