using System.IO.Pipelines;

namespace Continuity.Mail.Submission;

/// <summary>
/// The client-to-server bytes of one submission session with <see cref="AuthFrontLines"/> applied: line by line until
/// MAIL in an authenticated session, then unchanged. Bounded: a line longer than <see cref="MaxLine"/> is passed on as it
/// is for the SMTP parser to refuse, unless it is a SASL response or an AUTH command the front runs; that one is
/// discarded up to its end and answered 500 5.5.6. The front's replies are written to the session's output while
/// SmtpServer waits for input (the library reads only after flushing its last reply), so the two never interleave.
/// </summary>
internal sealed class AuthFrontStream(Stream inner, AuthFrontLines lines, Func<PipeWriter> output) : Stream
{
    public const int MaxLine = 32 * 1024;

    private readonly byte[] _buffer = new byte[MaxLine];
    private int _buffered;
    private byte[] _out = [];
    private int _outOffset;

    /// <summary>The rest of an overlong line the front claimed: dropped up to its LF.</summary>
    private bool _discarding;

    /// <summary>The rest of an overlong line passed on: passed on up to its LF, never read as a new line.</summary>
    private bool _midLine;

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

            if (lines.Passthrough && _buffered == 0)
            {
                return await inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }

            if (_buffered > 0 && await TakeAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var read = await inner.ReadAsync(_buffer.AsMemory(_buffered), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // End of input: hand on what is left (an unterminated line) and then the end.
                if (_buffered == 0 || _discarding)
                {
                    return 0;
                }

                Emit(_buffered);
                continue;
            }

            _buffered += read;
        }
    }

    /// <summary>Deals with the buffered bytes if they hold a line (or fill the buffer); false when more input is needed.</summary>
    private async ValueTask<bool> TakeAsync(CancellationToken cancellationToken)
    {
        if (lines.Passthrough)
        {
            Emit(_buffered);
            return true;
        }

        var lf = Array.IndexOf(_buffer, (byte)'\n', 0, _buffered);
        if (lf < 0)
        {
            if (_buffered < _buffer.Length)
            {
                return false;
            }

            if (_discarding)
            {
                _buffered = 0;
            }
            else if (!_midLine && lines.Claims(_buffer))
            {
                _discarding = true;
                _buffered = 0;
            }
            else
            {
                _midLine = true;
                Emit(_buffered);
            }

            return true;
        }

        if (_discarding)
        {
            _discarding = false;
            Drop(lf + 1);
            await ReplyAsync(lines.Overlong().ToClient!, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (_midLine)
        {
            _midLine = false;
            Emit(lf + 1);
            return true;
        }

        var line = _buffer.AsSpan(0, lf + 1).ToArray();
        Drop(lf + 1);
        var step = lines.Next(line);
        if (step.ToClient is { } reply)
        {
            await ReplyAsync(reply, cancellationToken).ConfigureAwait(false);
        }

        if (step.ToServer is { } forward)
        {
            _out = forward;
            _outOffset = 0;
        }

        return true;
    }

    private void Emit(int count)
    {
        _out = _buffer.AsSpan(0, count).ToArray();
        _outOffset = 0;
        Drop(count);
    }

    private void Drop(int count)
    {
        _buffered -= count;
        Array.Copy(_buffer, count, _buffer, 0, _buffered);
    }

    private async ValueTask ReplyAsync(string reply, CancellationToken cancellationToken)
    {
        var writer = output();
        writer.Write(Encoding.ASCII.GetBytes(reply + "\r\n"));
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
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
