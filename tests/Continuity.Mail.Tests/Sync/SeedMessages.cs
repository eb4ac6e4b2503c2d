using System.Globalization;
using System.Text;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>Deterministic test messages: old dates, a mix of flags and keywords, unique Message-IDs per prefix.</summary>
public static class SeedMessages
{
    private static readonly DateTimeOffset Epoch = new(2016, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly string[] KeywordPool = ["$Forwarded", "$Label1", "Projekt", "$Junk"];

    public static IEnumerable<SeedMessage> Generate(string prefix, int count, int start = 0) =>
        Enumerable.Range(start, count).Select(i => Make(prefix, i));

    public static SeedMessage Make(string prefix, int i, string? body = null)
    {
        var date = Epoch.AddHours(i * 7.5);
        var raw = Raw(
            $"Message-ID: <{prefix}-{i}@demo.test>",
            $"Date: {date.ToString("ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture).Remove(29, 1)}",
            $"Subject: {prefix} message {i}",
            body ?? $"Body of {prefix} {i}.\r\n{new string('x', 200 + i % 500)}");
        var flags = (i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None) | (i % 7 == 0 ? MessageFlags.Flagged : MessageFlags.None)
            | (i % 11 == 0 ? MessageFlags.Answered : MessageFlags.None);
        var keywords = i % 5 == 0 ? new[] { KeywordPool[i / 5 % KeywordPool.Length] } : [];
        return new SeedMessage(raw, flags, keywords, date.AddMinutes(3));
    }

    /// <summary>A message from header lines and a body (CRLF line ends), with From/To added.</summary>
    public static byte[] Raw(string? messageIdLine, string dateLine, string subjectLine, string body)
    {
        var text = new StringBuilder();
        text.Append("From: Carol <carol@example.org>\r\nTo: Alice <alice@demo.test>\r\n");
        if (messageIdLine is not null)
        {
            text.Append(messageIdLine).Append("\r\n");
        }

        text.Append(dateLine).Append("\r\n").Append(subjectLine).Append("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").Append(body).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
