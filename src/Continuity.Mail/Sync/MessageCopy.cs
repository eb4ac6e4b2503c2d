using MimeKit;

namespace Continuity.Mail.Sync;

/// <summary>
/// Turns the fetched bytes of a message into what MailKit's APPEND takes, so that the copy has the very same bytes
/// (and content hash) as the source, malformed MIME included. MailKit writes a <see cref="MimeMessage"/> and
/// <c>MimeMessage.WriteTo</c> cannot be overridden; a parsed message would be "repaired" on the way out (a missing
/// closing boundary added, for one). So only the header block is parsed (MimeKit writes unmodified headers back as
/// they were read) and the body is a <see cref="RawBody"/> that writes the fetched bytes unchanged: no MIME parse, no
/// decoding of a 30 MB attachment. A message without a header/body separator (or with an unparsable header block)
/// falls back to a full parse.
/// </summary>
internal static class MessageCopy
{
    private static readonly ParserOptions Parser = new() { RespectContentLength = false };

    public static async Task<MimeMessage> LoadAsync(byte[] message, CancellationToken cancellationToken)
    {
        var end = message.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end >= 0)
        {
            try
            {
                var headers = await HeaderList.LoadAsync(Parser, new MemoryStream(message, 0, end + 2, writable: false), cancellationToken).ConfigureAwait(false);
                return new MimeMessage((IEnumerable<Header>)headers) { Body = new RawBody(message.AsMemory(end + 4)) };
            }
            catch (FormatException)
            {
                // Not a header block MimeKit can read back exactly: parse the whole message instead.
            }
        }

        return await MimeMessage.LoadAsync(Parser, new MemoryStream(message, writable: false), persistent: true, cancellationToken).ConfigureAwait(false);
    }
}
