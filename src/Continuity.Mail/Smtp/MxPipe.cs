using System.IO.Pipelines;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Continuity.Mail.Smtp;

/// <summary>
/// The duplex pipe SmtpServer reads and writes, over an <see cref="IdleTimeoutStream"/>; STARTTLS (or implicit
/// TLS) swaps in an <see cref="SslStream"/> and tells the idle stream that plain replies are no longer possible.
/// </summary>
internal sealed class MxPipe : ISecurableDuplexPipe
{
    private readonly IdleTimeoutStream _plain;
    private readonly Action _onDispose;
    private Stream _stream;
    private int _disposed;

    public MxPipe(IdleTimeoutStream plain, Action onDispose)
    {
        _plain = plain;
        _onDispose = onDispose;
        _stream = plain;
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _stream is SslStream;

    public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        _plain.IsPlain = false;
        var ssl = new SslStream(_plain, leaveInnerStreamOpen: true);
        await ssl.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocols,
                ClientCertificateRequired = false,
            },
            cancellationToken).ConfigureAwait(false);
        _stream = ssl;
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_stream is SslStream ssl)
        {
            ssl.Dispose();
        }

        _plain.Dispose();
        _onDispose();
    }
}
