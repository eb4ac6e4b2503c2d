using System.Security.Cryptography;

namespace Continuity.Testing.Story;

/// <summary>
/// The gateway's signing and encryption keys as PEM files, made once per process: a gateway without key files
/// generates development keys at start, which costs seconds on a busy machine and says nothing about the story.
/// </summary>
internal static class StoryKeys
{
    private static readonly Lazy<string> SigningPem = new(MakePem);
    private static readonly Lazy<string> EncryptionPem = new(MakePem);

    public static string Signing(string directory) => Write(directory, "signing.pem", SigningPem.Value);

    public static string Encryption(string directory) => Write(directory, "encryption.pem", EncryptionPem.Value);

    private static string Write(string directory, string name, string pem)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static string MakePem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
