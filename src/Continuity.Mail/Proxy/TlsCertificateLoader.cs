using System.Security.Cryptography.X509Certificates;

namespace Continuity.Mail.Proxy;

/// <summary>Loads the proxy's certificate from a PKCS#12 file or a PEM certificate and key.</summary>
internal static class TlsCertificateLoader
{
    public static X509Certificate2? Load(MailAccessTlsOptions tls)
    {
        if (tls.CertificatePath is null)
        {
            return null;
        }

        var extension = Path.GetExtension(tls.CertificatePath);
        if (extension is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password);
        }

        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
