namespace Continuity.Mail.Configuration;

/// <summary>
/// The MX's TLS certificate (STARTTLS on the SMTP port, and the optional implicit-TLS port). With no
/// certificate configured the listener offers no STARTTLS. Development certificates: <c>certs/make-dev-certs.sh</c>.
/// </summary>
public sealed class MxTlsOptions
{
    /// <summary>PEM certificate (chain) file, or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file; not used with PKCS#12.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 file. Secret: prefer an environment variable. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Port for implicit TLS (SMTPS, RFC 8314); 0 (default) turns it off.</summary>
    public int ImplicitTlsPort { get; set; }
}
