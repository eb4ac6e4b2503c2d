namespace Continuity.Mail.Proxy;

/// <summary>
/// Reads CRLF lines and exact byte counts from a client with one fixed buffer: memory never grows with
/// what the client sends. A line longer than the buffer is reported, not accumulated.
/// </summary>
internal sealed class BoundedReader(Stream stream, int maxLine)
{
    private readonly byte[] _buffer = new byte[maxLine + 2];
    private int _start;
    private int _end;

    public Stream Stream { get; set; } = stream;

    /// <summary>Bytes received but not yet consumed (pipelined by the client).</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(_start, _end - _start);

    /// <summary>Drops whatever the client sent ahead (bytes before a TLS handshake must not be read as commands).</summary>
    public void DiscardBuffered() => _start = _end = 0;

    /// <summary>Reads one line; the returned memory (without CR LF) is valid until the next read.</summary>
    public async ValueTask<LineRead> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var lf = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var length = scanned + lf;
                var line = _buffer.AsMemory(_start, length);
                _start += length + 1;
                if (line.Length > 0 && line.Span[^1] == '\r')
                {
                    line = line[..^1];
                }

                return new LineRead(LineStatus.Line, line);
            }

            scanned = _end - _start;
            if (scanned >= _buffer.Length)
            {
                return new LineRead(LineStatus.TooLong, default);
            }

            Compact();
            var n = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return new LineRead(LineStatus.Closed, default);
            }

            _end += n;
        }
    }

    /// <summary>Fills <paramref name="destination"/> exactly; false when the client closed first.</summary>
    public async ValueTask<bool> ReadExactAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var fromBuffer = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, fromBuffer).CopyTo(destination);
        _start += fromBuffer;
        var filled = fromBuffer;
        while (filled < destination.Length)
        {
            var n = await Stream.ReadAsync(destination[filled..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            filled += n;
        }

        return true;
    }

    private void Compact()
    {
        if (_start == 0)
        {
            return;
        }

        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        _end -= _start;
        _start = 0;
    }
}
