using System.Text;

namespace Continuity.Mail.Tests.Support;

/// <summary>A connection that plays a recorded server side and records everything the client writes.</summary>
public sealed class TranscriptStream(string server) : Stream
{
    private readonly MemoryStream _server = new(Encoding.UTF8.GetBytes(server));
    private readonly MemoryStream _client = new();

    public string ClientWrote => Encoding.UTF8.GetString(_client.ToArray());

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _server.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _server.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _client.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _client.WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
