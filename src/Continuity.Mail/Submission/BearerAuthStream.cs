namespace Continuity.Mail.Submission;

/// <summary>
/// The client-to-server bytes of one submission session with <see cref="BearerAuthLines"/> applied: line by line until MAIL
/// (bounded: a line longer than <see cref="MaxLine"/> is passed on as it is, for the SMTP parser to refuse), then unchanged.
/// </summary>
internal sealed class BearerAuthStream(Stream inner) : Stream
{
    public const int MaxLine = 32 * 1024;

    private readonly BearerAuthLines _lines = new();
    private readonly byte[] _buffer = new byte[MaxLine];
    private int _buffered;
    private byte[] _out = [];
    private int _outOffset;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_outOffset < _out.Length)
            {
                var n = Math.Min(destination.Length, _out.Length - _outOffset);
                _out.AsMemory(_outOffset, n).CopyTo(destination);
                _outOffset += n;
                return n;
            }

            if (_lines.Passthrough && _buffered == 0)
            {
                return await inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }

            var lf = Array.IndexOf(_buffer, (byte)'\n', 0, _buffered);
            if (lf >= 0 || _buffered == _buffer.Length || _lines.Passthrough)
            {
                var take = _lines.Passthrough ? _buffered : lf >= 0 ? lf + 1 : _buffered;
                var line = _buffer.AsSpan(0, take).ToArray();
                _buffered -= take;
                Array.Copy(_buffer, take, _buffer, 0, _buffered);
                _out = lf >= 0 && !_lines.Passthrough ? _lines.Rewrite(line) : line;
                _outOffset = 0;
                continue;
            }

            var read = await inner.ReadAsync(_buffer.AsMemory(_buffered), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // End of input: hand on what is left (an unterminated line) and then the end.
                if (_buffered == 0)
                {
                    return 0;
                }

                _out = _buffer.AsSpan(0, _buffered).ToArray();
                _outOffset = 0;
                _buffered = 0;
                continue;
            }

            _buffered += read;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
