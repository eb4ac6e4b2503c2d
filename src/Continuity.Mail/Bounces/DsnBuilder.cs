using MimeKit;
using MimeKit.Utils;

namespace Continuity.Mail.Bounces;

/// <summary>
/// Builds a delivery status notification (RFC 3464): <c>multipart/report; report-type=delivery-status</c> with a
/// human-readable part, a <c>message/delivery-status</c> part (one block per failed recipient) and the headers
/// of the original message (<c>text/rfc822-headers</c>).
/// </summary>
internal static class DsnBuilder
{
    public static MimeMessage Build(string reportingMta, SpoolEnvelope original, IReadOnlyList<(SpoolRecipient Recipient, string Reason)> failed, HeaderList originalHeaders, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(failed);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        message.To.Add(MailboxAddress.Parse(original.From));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = now;
        message.MessageId = $"{original.Id}.dsn@{reportingMta}";
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"This is the mail system at host {reportingMta}.\r\n\r\n")
            .Append("Your message could not be delivered to one or more recipients.\r\n\r\n");
        foreach (var (recipient, reason) in failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"<{recipient.Address}>: {reason}\r\n");
        }

        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", $"dns; {reportingMta}" },
            { "X-Continuity-Queue-ID", original.Id },
            { "Arrival-Date", DateUtils.FormatDate(original.ReceivedAt) },
        };
        status.StatusGroups.Add(perMessage);
        foreach (var (recipient, reason) in failed)
        {
            status.StatusGroups.Add(new HeaderList
            {
                { "Final-Recipient", $"rfc822; {recipient.Address}" },
                { "Action", "failed" },
                { "Status", StatusCode(reason) },
                { "Diagnostic-Code", $"smtp; {reason}" },
            });
        }

        var headers = new MimePart("text", "rfc822-headers") { Content = new MimeContent(HeadersStream(originalHeaders)) };
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = text.ToString() },
            status,
            headers,
        };
        message.Body = report;
        return message;
    }

    /// <summary>The enhanced status code at the start of the reason (after the reply code), or a generic 5.0.0.</summary>
    internal static string StatusCode(string reason)
    {
        var parts = reason.Split(' ', 3);
        var candidate = parts.Length > 1 ? parts[1] : "";
        var fields = candidate.Split('.');
        return fields.Length == 3 && fields[0] is "4" or "5" && fields.Skip(1).All(f => f.Length is > 0 and < 4 && f.All(char.IsAsciiDigit))
            ? "5" + candidate[1..]
            : "5.0.0";
    }

    private static MemoryStream HeadersStream(HeaderList headers)
    {
        var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        headers.WriteTo(options, stream);
        stream.Position = 0;
        return stream;
    }
}
