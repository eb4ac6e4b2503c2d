using System.IO.Pipelines;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Continuity.Mail.Submission;

/// <summary>
/// SmtpServer's pipe with the client's input read through <see cref="AuthFrontStream"/> (again after STARTTLS); the
/// front's own replies go to the same output the library writes to.
/// </summary>
internal sealed class AuthFrontPipe : ISecurableDuplexPipe
{
    private readonly ISecurableDuplexPipe _inner;
    private readonly AuthFrontLines _lines;
    private readonly IDisposable _lease;

    /// <param name="lease">The session's place in the per-address connection count, given up when the session ends.</param>
    public AuthFrontPipe(ISecurableDuplexPipe inner, ISessionContext context, bool bearer, IDisposable lease)
    {
        _inner = inner;
        _lease = lease;
        _lines = new AuthFrontLines(bearer, context, this);
        Input = Wrap();
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output => _inner.Output;

    public bool IsSecure => _inner.IsSecure;

    public SslProtocols SslProtocol => _inner.SslProtocol;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        // Anything read but not yet parsed before the handshake is dropped with the old reader (no STARTTLS injection).
        await _inner.UpgradeAsync(certificate, protocols, cancellationToken).ConfigureAwait(false);
        _lines.Upgraded();
        Input = Wrap();
    }

    public void Dispose()
    {
        _inner.Dispose();
        _lease.Dispose();
    }

    private PipeReader Wrap() => PipeReader.Create(new AuthFrontStream(_inner.Input.AsStream(leaveOpen: true), _lines, () => _inner.Output));
}
