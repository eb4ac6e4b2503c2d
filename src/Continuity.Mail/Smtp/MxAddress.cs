using SmtpServer.Mail;

namespace Continuity.Mail.Smtp;

internal static class MxAddress
{
    /// <summary><c>user@host</c>, or empty for the null reverse-path <c>&lt;&gt;</c>.</summary>
    public static string Of(IMailbox? mailbox) =>
        mailbox is null || (string.IsNullOrEmpty(mailbox.User) && string.IsNullOrEmpty(mailbox.Host))
            ? ""
            : string.IsNullOrEmpty(mailbox.Host) ? mailbox.User : $"{mailbox.User}@{mailbox.Host}";
}
