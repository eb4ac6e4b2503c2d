namespace Continuity.Mail.Lmtp;

/// <summary>
/// Reads SMTP/LMTP replies (RFC 5321 4.2) from a stream with bounded input: a line longer than
/// <see cref="MaxLine"/> or a reply of more than <see cref="MaxLines"/> lines is a protocol error, never a hang
/// or an unbounded buffer.
/// </summary>
internal sealed class ReplyReader(Stream stream)
{
    public const int MaxLine = 4096;
    public const int MaxLines = 100;

    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    /// <summary>Bytes received past the last reply read (none may follow a 220 to STARTTLS).</summary>
    public bool HasBuffered => _end > _start;

    public async Task<LmtpReply> ReadAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        for (var lines = 0; lines < MaxLines; lines++)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 200 || code > 599)
            {
                throw new LmtpProtocolException($"malformed reply line: {Printable(line)}");
            }

            var more = line.Length > 3 && line[3] == '-';
            if (line.Length > 3 && line[3] != '-' && line[3] != ' ')
            {
                throw new LmtpProtocolException($"malformed reply line: {Printable(line)}");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(line.Length > 4 ? line[4..] : "");
            if (!more)
            {
                return new LmtpReply(code, text.ToString());
            }
        }

        throw new LmtpProtocolException("reply has too many lines");
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLine)
            {
                throw new LmtpProtocolException($"reply line longer than {MaxLine} bytes");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new LmtpProtocolException("connection closed by the server");
            }

            _end += read;
        }
    }

    private static string Printable(string s) => new([.. s.Take(80).Select(c => c is < ' ' or > '~' ? '?' : c)]);
}
