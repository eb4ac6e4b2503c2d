using System.Security.Cryptography;

namespace Continuity.Testing.Identity;

/// <summary>
/// RSA keys made once per test process (generating keys per host would make every test slow), written
/// as PEM files into each test's directory so the gateway loads them the way production does.
/// </summary>
public static class TestKeys
{
    private static readonly Lazy<string> SigningPem = new(() => MakePem());
    private static readonly Lazy<string> EncryptionPem = new(() => MakePem());
    private static readonly Lazy<string> NextSigningPem = new(() => MakePem());

    public static RSA Signing => Load(SigningPem.Value);
    public static RSA Encryption => Load(EncryptionPem.Value);

    /// <summary>Writes the signing, encryption and a second (next) signing key; returns their paths.</summary>
    public static (string Signing, string Encryption, string NextSigning) WriteTo(string directory)
    {
        var signing = Path.Combine(directory, "signing.pem");
        var encryption = Path.Combine(directory, "encryption.pem");
        var next = Path.Combine(directory, "signing-next.pem");
        File.WriteAllText(signing, SigningPem.Value);
        File.WriteAllText(encryption, EncryptionPem.Value);
        File.WriteAllText(next, NextSigningPem.Value);
        return (signing, encryption, next);
    }

    private static string MakePem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static RSA Load(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
