namespace Continuity.Mail.Smtp;

/// <summary>
/// A client connection whose reads fail after <c>idle</c> without a byte, in a command and in the middle of
/// DATA alike (SmtpServer's own timeouts cover neither a stalled DATA nor a slow drip). On timeout it tries
/// to say 421 (only while the connection is not TLS: plain bytes would break a TLS stream) and then fails the
/// read with an <see cref="IOException"/>, which ends the session. Until the client's first accepted MAIL command
/// the wait is the shorter <c>beforeMail</c> (<see cref="MailAccepted"/> switches to <c>idle</c>): a client that
/// connects and stays silent holds a session slot only that long.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan beforeMail, TimeSpan idle, TimeProvider time) : Stream
{
    private static readonly byte[] TimeoutReply = "421 4.4.2 Idle timeout, closing connection\r\n"u8.ToArray();
    private TimeSpan _wait = beforeMail;

    /// <summary>False once TLS runs over this stream.</summary>
    public bool IsPlain { get; set; } = true;

    /// <summary>The client gave a MAIL command that was accepted: from now on it may stay silent for the full idle timeout.</summary>
    public void MailAccepted() => _wait = idle;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (IsPlain)
            {
                try
                {
                    await inner.WriteAsync(TimeoutReply, CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                }
            }

            // Close the socket: SmtpServer answers some read errors and reads on, which must fail at once now.
            await inner.DisposeAsync().ConfigureAwait(false);
            throw new IOException("idle timeout");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
