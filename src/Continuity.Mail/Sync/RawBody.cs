using MimeKit;

namespace Continuity.Mail.Sync;

/// <summary>
/// The body of a message being copied, written exactly as fetched (see <see cref="MessageCopy"/>). It has no headers
/// of its own: every header of the message, Content-Type included, stays in the message's header block.
/// </summary>
internal sealed class RawBody : MimeEntity
{
    private readonly ReadOnlyMemory<byte> _bytes;

    public RawBody(ReadOnlyMemory<byte> bytes)
        : base(new ContentType("application", "octet-stream"))
    {
        _bytes = bytes;
        Headers.Clear();
    }

    public override void Accept(MimeVisitor visitor)
    {
        // Nothing to visit: the body is opaque bytes.
    }

    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // Written as fetched; never re-encoded.
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(_bytes.Span);
    }

    public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.WriteAsync(_bytes, cancellationToken).AsTask();
    }
}
