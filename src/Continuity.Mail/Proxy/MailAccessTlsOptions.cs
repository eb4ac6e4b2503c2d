namespace Continuity.Mail.Proxy;

/// <summary>The certificate clients see on the IMAP and submission ports (the tenant's <c>Hosts:Mail</c> name).</summary>
public sealed class MailAccessTlsOptions
{
    /// <summary>PEM certificate (chain) file, or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file; not used with PKCS#12.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 file. Secret: prefer an environment variable. Never logged.</summary>
    public string? Password { get; set; }
}
