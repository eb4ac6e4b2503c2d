namespace Continuity.Identity.Configuration;

/// <summary>
/// Key files, identical on every node. List at most two of each: the first signs (or encrypts), the
/// second is published and accepted too, so a new key can be announced before it is used and an old
/// one still validates tokens it issued.
/// </summary>
public sealed class IdentityKeysOptions
{
    public List<KeyFileOptions> Signing { get; set; } = [];

    public List<KeyFileOptions> Encryption { get; set; } = [];
}

/// <summary>An RSA key in a PEM file (PKCS#8 or PKCS#1 private key) or a PFX/PKCS#12 file.</summary>
public sealed class KeyFileOptions
{
    /// <summary>Path of a <c>.pem</c>, <c>.key</c>, <c>.pfx</c> or <c>.p12</c> file.</summary>
    public string Path { get; set; } = "";

    /// <summary>PFX password, if any. Secret: prefer an environment variable; never logged.</summary>
    public string? Password { get; set; }
}
