namespace Continuity.Core.Configuration;

/// <summary>
/// How the ASP.NET Data Protection keys are encrypted where they are kept (the state store), bound from
/// <c>Continuity:DataProtection</c>. Those keys protect the session cookies, app sign-in tickets and
/// anti-forgery tokens: whoever reads them in clear can forge any of these. Give every node the same file.
/// </summary>
/// <remarks>
/// With neither setting, the embedded store (single node) uses a key generated once into
/// <c>{DataDir}/keys/dataprotection.key</c> (0600); an external store refuses to start unless
/// <see cref="ContinuityOptions.Development"/> is on (then the keys are stored unencrypted, with a warning).
/// </remarks>
public sealed class DataProtectionKeyOptions
{
    /// <summary>
    /// A file holding a 256-bit key (base64, e.g. <c>openssl rand -base64 32</c>, or 32 raw bytes): the Data
    /// Protection keys are stored AES-256-GCM encrypted with it.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// A PFX/PKCS#12 certificate with its private key: the Data Protection keys are stored as XML encryption
    /// to it (ASP.NET Core's own <c>ProtectKeysWithCertificate</c>). Alternative to <see cref="KeyFile"/>.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>Password of <see cref="Certificate"/>, if any. Secret: prefer an environment variable; never logged.</summary>
    public string? CertificatePassword { get; set; }
}
