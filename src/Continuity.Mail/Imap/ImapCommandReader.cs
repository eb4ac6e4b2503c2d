namespace Continuity.Mail.Imap;

/// <summary>
/// Reads whole pre-login commands: lines bounded by <see cref="MailAccessOptions.MaxCommandLine"/>, literals by
/// <see cref="MailAccessOptions.MaxLiteral"/> (a synchronizing one gets its <c>+</c> continuation first), the whole
/// command by <see cref="MailAccessOptions.MaxCommandBytes"/>. Every defect becomes an IMAP error result.
/// </summary>
internal sealed class ImapCommandReader(BoundedReader reader, MailAccessOptions options)
{
    private static readonly byte[] Continuation = "+ Ready for literal data\r\n"u8.ToArray();

    public BoundedReader Reader => reader;

    public async ValueTask<ImapReadResult> ReadAsync(Stream output, CancellationToken cancellationToken)
    {
        var read = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (read.Status == LineStatus.Closed)
        {
            return ImapReadResult.Closed;
        }

        if (read.Status == LineStatus.TooLong)
        {
            return ImapReadResult.Bye("[TOOBIG] Command line too long");
        }

        var headError = ImapLineParser.ParseHead(read.Line.Span, out var tag, out var name, out var rest);
        if (headError is not null)
        {
            return ImapReadResult.Bad(tag, headError);
        }

        var tokens = new List<ImapToken>();
        var depth = 0;
        var total = (long)read.Line.Length;
        var line = read.Line[rest..];
        while (true)
        {
            var error = ImapLineParser.ParseArguments(line.Span, tokens, ref depth, out var literal);
            if (error is not null)
            {
                return ImapReadResult.Bad(tag, error);
            }

            if (literal is not { } l)
            {
                return depth == 0 ? new ImapReadResult(new ImapCommand(tag!, name, tokens), null, false) : ImapReadResult.Bad(tag, "Unbalanced parenthesis");
            }

            total += l.Length;
            if (l.Length > options.MaxLiteral || total > options.MaxCommandBytes)
            {
                // A non-synchronizing literal is already on its way: the stream cannot be resynchronized.
                return l.NonSynchronizing ? ImapReadResult.Bye("[TOOBIG] Literal too large") : ImapReadResult.Bad(tag, "[TOOBIG] Literal too large");
            }

            if (!l.NonSynchronizing)
            {
                await output.WriteAsync(Continuation, cancellationToken).ConfigureAwait(false);
            }

            var value = new byte[l.Length];
            if (!await reader.ReadExactAsync(value, cancellationToken).ConfigureAwait(false))
            {
                return ImapReadResult.Closed;
            }

            tokens.Add(new ImapToken(ImapTokenKind.String, value));
            read = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (read.Status != LineStatus.Line)
            {
                return read.Status == LineStatus.Closed ? ImapReadResult.Closed : ImapReadResult.Bye("[TOOBIG] Command line too long");
            }

            total += read.Line.Length;
            if (total > options.MaxCommandBytes)
            {
                return ImapReadResult.Bye("[TOOBIG] Command too long");
            }

            line = read.Line;
        }
    }

    /// <summary>One line of a SASL exchange (after a <c>+</c> continuation), trimmed of CR LF.</summary>
    public async ValueTask<(LineStatus Status, string Text)> ReadSaslLineAsync(CancellationToken cancellationToken)
    {
        var read = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return read.Status == LineStatus.Line ? (LineStatus.Line, Encoding.Latin1.GetString(read.Line.Span)) : (read.Status, "");
    }
}
