using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Mail.Tests.Support;

/// <summary>Sends through the MX with MailKit, as a real sender would.</summary>
public static class Mailer
{
    /// <summary>Sends one message whose subject and body carry a unique marker; returns the marker.</summary>
    public static async Task<string> SendAsync(int port, string from, params string[] to)
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in to)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = marker;
        message.Body = new TextPart("plain") { Text = $"Hello, this is {marker}.\r\n.leading dot line\r\nÜmlaut 8bit\r\n" };
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return marker;
    }

    /// <summary>Per-provider LMTP inbound settings for tenant demo.</summary>
    public static Dictionary<string, string?> Providers(string primaryInbound, string sovereignInbound, bool copies = false) => new()
    {
        ["Tenants:demo:Providers:primary:Mail:Inbound"] = primaryInbound,
        ["Tenants:demo:Providers:sovereign:Mail:Inbound"] = sovereignInbound,
        ["Tenants:demo:Failover:ContinuityCopies"] = copies ? "true" : "false",
    };
}
