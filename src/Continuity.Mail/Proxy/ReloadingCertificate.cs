using System.Security.Cryptography.X509Certificates;

namespace Continuity.Mail.Proxy;

/// <summary>
/// A listener's TLS certificate, read from its files and read again when they change, so a renewed certificate
/// (certbot, any ACME client) serves the next connection without a restart. Each new TLS connection asks for
/// <see cref="Current"/>, which compares the files' stamps (the final target of a symbolic link — certbot's
/// <c>live/</c> links point into <c>archive/</c> — its modification time and length) with those of the loaded
/// certificate: two <c>stat</c> calls, no timer. A change that does not load (the key written a moment after the
/// certificate, a half-written file) keeps the certificate in use, logs one warning, and is tried again on the next
/// connection. Connections already open keep the certificate they started with.
/// </summary>
internal sealed partial class ReloadingCertificate : ICertificateFactory
{
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly string? _password;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private string _stamp;
    private string? _failedStamp;

    private ReloadingCertificate(string certificatePath, string? keyPath, string? password, ILogger logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _password = password;
        _logger = logger;
        _stamp = Stamp();
        _current = TlsCertificateLoader.Load(certificatePath, keyPath, password);
    }

    /// <summary>The certificate of <paramref name="certificatePath"/> (and <paramref name="keyPath"/> for PEM), or null when none is configured.</summary>
    public static ReloadingCertificate? Create(string? certificatePath, string? keyPath, string? password, ILogger logger) =>
        certificatePath is null ? null : new ReloadingCertificate(certificatePath, keyPath, password, logger);

    /// <summary>The certificate for a new connection: the files' current one, or the last that loaded.</summary>
    public X509Certificate2 Current
    {
        get
        {
            string stamp;
            try
            {
                stamp = Stamp();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return _current;
            }

            lock (_lock)
            {
                if (stamp == _stamp || stamp == _failedStamp)
                {
                    return _current;
                }

                try
                {
                    var next = TlsCertificateLoader.Load(_certificatePath, _keyPath, _password);
                    // The previous certificate is left to the GC: a handshake that started with it may still be using it.
                    _current = next;
                    _stamp = stamp;
                    _failedStamp = null;
                    Log.Reloaded(_logger, _certificatePath, next.Subject, next.NotAfter.ToUniversalTime());
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    _failedStamp = stamp;
                    Log.ReloadFailed(_logger, _certificatePath, ex.Message);
                }

                return _current;
            }
        }
    }

    X509Certificate ICertificateFactory.GetServerCertificate(ISessionContext sessionContext) => Current;

    private string Stamp() => FileStamp(_certificatePath) + "|" + (_keyPath is null ? "" : FileStamp(_keyPath));

    private static string FileStamp(string path)
    {
        var file = new FileInfo(path);
        if (file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
        {
            file = target;
        }

        return file.Exists
            ? $"{file.FullName}:{file.LastWriteTimeUtc.Ticks}:{file.Length}"
            : $"{file.FullName}:missing";
    }
}
