using MailKit.Net.Smtp;
using MimeKit;
using MailKitSmtpResponse = MailKit.Net.Smtp.SmtpResponse;

namespace Continuity.Mail.Delivery;

/// <summary>MailKit's client, made to record each refused recipient instead of failing the whole message.</summary>
internal sealed class RecordingSmtpClient : SmtpClient
{
    public Dictionary<string, MailKitSmtpResponse> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, MailKitSmtpResponse response)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        Refused[mailbox.Address] = response;
    }

    protected override void OnNoRecipientsAccepted(MimeMessage message)
    {
        // Every recipient's refusal is in Refused; nothing was sent.
    }
}
