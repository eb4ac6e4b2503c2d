using System.Text;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>One message a crash-test client sent: its Message-ID, recipients, body, and whether the MX answered 250 to it.</summary>
internal sealed class SentMessage
{
    public SentMessage(string id, IReadOnlyList<string> recipients)
    {
        Id = id;
        Recipients = recipients;
        var body = new StringBuilder();
        for (var line = 0; line < 40; line++)
        {
            body.Append("crash test ").Append(id).Append(" line ").Append(line).Append(" of 40\n");
        }

        Body = body.Append("END ").Append(id).Append('\n').ToString();
    }

    /// <summary>The Message-ID without angle brackets.</summary>
    public string Id { get; }

    public IReadOnlyList<string> Recipients { get; }

    /// <summary>The text body with LF line ends (Dovecot's Maildir stores LF).</summary>
    public string Body { get; }

    /// <summary>Set once the reply to the end of DATA was a 250.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>Whether a stored copy holds the whole body, up to its END line.</summary>
    public bool IsWhole(string stored) => stored.Replace("\r\n", "\n", StringComparison.Ordinal).Contains(Body, StringComparison.Ordinal);
}
