using System.IO.Pipelines;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Continuity.Mail.Submission;

/// <summary>SmtpServer's pipe with the client's input read through <see cref="BearerAuthStream"/> (again after STARTTLS).</summary>
internal sealed class BearerAuthPipe : ISecurableDuplexPipe
{
    private readonly ISecurableDuplexPipe _inner;

    public BearerAuthPipe(ISecurableDuplexPipe inner)
    {
        _inner = inner;
        Input = Wrap(inner.Input);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output => _inner.Output;

    public bool IsSecure => _inner.IsSecure;

    public SslProtocols SslProtocol => _inner.SslProtocol;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        // Anything read but not yet parsed before the handshake is dropped with the old reader (no STARTTLS injection).
        await _inner.UpgradeAsync(certificate, protocols, cancellationToken).ConfigureAwait(false);
        Input = Wrap(_inner.Input);
    }

    public void Dispose() => _inner.Dispose();

    private static PipeReader Wrap(PipeReader reader) => PipeReader.Create(new BearerAuthStream(reader.AsStream(leaveOpen: true)));
}
