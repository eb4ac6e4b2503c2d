using System.Text;

namespace Continuity.Mail.Tests.Imap;

/// <summary>
/// Replays a recorded exchange byte for byte. <c>C: </c> lines are sent with CR LF (<c>C+ </c> without it),
/// <c>S: </c> lines must come back exactly; <c>S: &lt;closed&gt;</c> means the server closes here.
/// <c>&lt;NUL&gt;</c> stands for a 0 byte and <c>&lt;CRLF&gt;</c> for a line break inside one write.
/// </summary>
internal static class Transcript
{
    public static async Task ReplayAsync(RawImap client, string transcript)
    {
        var n = 0;
        foreach (var raw in transcript.Split('\n'))
        {
            n++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var text = line[3..].Replace("<NUL>", "\0", StringComparison.Ordinal).Replace("<CRLF>", "\r\n", StringComparison.Ordinal);
            switch (line[..3])
            {
                case "C: ":
                    await client.SendAsync(Encoding.UTF8.GetBytes(text + "\r\n"));
                    break;
                case "C+ ":
                    await client.SendAsync(Encoding.UTF8.GetBytes(text));
                    break;
                case "S: ":
                    var got = await client.ReadLineAsync();
                    var expected = text == "<closed>" ? null : text;
                    if (got != expected)
                    {
                        throw new Xunit.Sdk.XunitException($"Transcript line {n}: expected\n  {expected ?? "<closed>"}\nbut the server said\n  {got ?? "<closed>"}");
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Transcript line {n}: unknown prefix in '{line}'");
            }
        }
    }
}
