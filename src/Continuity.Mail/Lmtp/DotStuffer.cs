namespace Continuity.Mail.Lmtp;

/// <summary>
/// Copies message bytes into the DATA stream (RFC 5321 4.5.2): a '.' starting a line is doubled, and the
/// terminating CRLF.CRLF is written at the end. The bytes are otherwise passed through unchanged.
/// </summary>
internal static class DotStuffer
{
    private static readonly byte[] End = "\r\n.\r\n"u8.ToArray();
    private static readonly byte[] Dot = [(byte)'.'];

    /// <summary>
    /// Writes <paramref name="body"/> (a spooled message, which by the spool's convention ends without its final
    /// CRLF) and the terminator.
    /// </summary>
    public static async Task CopyAsync(Stream body, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var lineStart = true;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (lineStart && buffer[i] == '.')
                {
                    await output.WriteAsync(buffer.AsMemory(from, i - from), cancellationToken).ConfigureAwait(false);
                    await output.WriteAsync(Dot, cancellationToken).ConfigureAwait(false);
                    from = i; // the original dot is written with the next chunk
                }

                lineStart = buffer[i] == '\n';
            }

            await output.WriteAsync(buffer.AsMemory(from, read - from), cancellationToken).ConfigureAwait(false);
        }

        await output.WriteAsync(End, cancellationToken).ConfigureAwait(false);
    }
}
