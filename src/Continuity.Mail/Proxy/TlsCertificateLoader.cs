using System.Security.Cryptography.X509Certificates;

namespace Continuity.Mail.Proxy;

/// <summary>Loads a listener's certificate from a PKCS#12 file or a PEM certificate and key.</summary>
internal static class TlsCertificateLoader
{
    public static X509Certificate2? Load(MailAccessTlsOptions tls) =>
        tls.CertificatePath is null ? null : Load(tls.CertificatePath, tls.KeyPath, tls.Password);

    public static X509Certificate2 Load(string certificatePath, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(certificatePath);
        if (extension is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }

        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
