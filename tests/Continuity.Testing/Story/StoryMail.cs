using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Testing.Story;

/// <summary>
/// Mail as the story's outside world sees it: a correspondent sending through the gateway's MX (SMTP on
/// 127.0.0.1), and an IMAP look straight into a Dovecot mailbox (master login), counting messages by Message-ID.
/// </summary>
public static class StoryMail
{
    /// <summary>Sends one small message from an outside correspondent to <paramref name="to"/> through the MX on <paramref name="smtpPort"/>.</summary>
    public static async Task SendAsync(int smtpPort, string to, string messageId, string subject, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Dora Defence", "dora@counsel.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = $"{subject}\r\n\r\nThe hearing is moved to Thursday.\r\n" };
        using var smtp = new SmtpClient { Timeout = 20_000 };
        await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None, cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>A Message-ID unique to this run: <c>&lt;label.random@counsel.example&gt;</c> without the brackets (MimeKit adds them).</summary>
    public static string NewMessageId(string label) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}.{Guid.NewGuid():N}@counsel.example");

    /// <summary>
    /// The Message-IDs in <paramref name="user"/>'s INBOX at <paramref name="server"/>, one entry per message (a
    /// message present twice appears twice), read over IMAP with the master login.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MessageIdsAsync(DovecotServer server, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var imap = new ImapClient { Timeout = 20_000 };
        await imap.ConnectAsync("127.0.0.1", server.ImapPort, SecureSocketOptions.None, cancellationToken);
        await imap.AuthenticateAsync($"{user}*{DovecotServer.MasterUser}", DovecotServer.MasterPassword, cancellationToken);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var ids = imap.Inbox.Count == 0
            ? []
            : (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope, cancellationToken)).Select(m => m.Envelope?.MessageId ?? "(none)").ToList();
        await imap.DisconnectAsync(true, cancellationToken);
        return ids;
    }

    /// <summary>How many times <paramref name="messageId"/> is in the user's INBOX (Maildir files: cheap enough to poll).</summary>
    public static int CountInMaildir(DovecotServer server, string user, string messageId)
    {
        ArgumentNullException.ThrowIfNull(server);
        var header = new StringBuilder("<").Append(messageId).Append('>').ToString();
        return server.Count(user, header);
    }
}
