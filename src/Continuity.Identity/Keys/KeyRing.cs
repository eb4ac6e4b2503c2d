using System.Security.Cryptography.X509Certificates;
using Continuity.Core.IO;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Identity.Keys;

/// <summary>
/// The signing and encryption keys of this node, loaded once. From the configured files when there
/// are any (every node must be given the same files); otherwise development keys generated once
/// into <c>{DataDir}/keys</c> and reused on every later start.
/// </summary>
internal sealed partial class KeyRing
{
    private readonly Lazy<(IReadOnlyList<SecurityKey> Signing, IReadOnlyList<SecurityKey> Encryption)> _keys;

    public KeyRing(IOptions<IdentityOptions> identity, IOptions<ContinuityOptions> continuity, ILogger<KeyRing> logger)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(continuity);
        _keys = new(() => Load(identity.Value.Keys, continuity.Value.DataDir, logger));
    }

    /// <summary>Signing keys, the active one first.</summary>
    public IReadOnlyList<SecurityKey> Signing => _keys.Value.Signing;

    /// <summary>Encryption keys, the active one first.</summary>
    public IReadOnlyList<SecurityKey> Encryption => _keys.Value.Encryption;

    private static (IReadOnlyList<SecurityKey>, IReadOnlyList<SecurityKey>) Load(IdentityKeysOptions keys, string dataDir, ILogger logger)
    {
        var signing = keys.Signing.Count > 0 ? keys.Signing.Select(LoadFile).ToList() : [Development(dataDir, "signing.pem", logger)];
        var encryption = keys.Encryption.Count > 0 ? keys.Encryption.Select(LoadFile).ToList() : [Development(dataDir, "encryption.pem", logger)];
        foreach (var key in signing.Concat(encryption))
        {
            Log.Loaded(logger, key.KeyId, key.KeySize);
        }

        return (signing, encryption);
    }

    /// <summary>Loads one RSA key; the key id is a thumbprint of the public key, so every node derives the same id.</summary>
    public static SecurityKey LoadFile(KeyFileOptions file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var extension = System.IO.Path.GetExtension(file.Path).ToLowerInvariant();
        RSA rsa;
        if (extension is ".pfx" or ".p12")
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password, X509KeyStorageFlags.EphemeralKeySet);
            rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException($"{file.Path}: the certificate has no RSA private key");
        }
        else
        {
            rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(file.Path));
        }

        return Wrap(rsa);
    }

    internal static RsaSecurityKey Wrap(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var id = Base64UrlEncoder.Encode(SHA256.HashData([.. parameters.Modulus!, .. parameters.Exponent!]))[..16];
        return new RsaSecurityKey(rsa) { KeyId = id };
    }

    private static SecurityKey Development(string dataDir, string name, ILogger logger)
    {
        var directory = System.IO.Path.Combine(dataDir, "keys");
        PrivateFiles.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(2048);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            // 0600 from the first byte: whoever reads this key can sign ID tokens for every user.
            PrivateFiles.WriteAllText(temp, rsa.ExportPkcs8PrivateKeyPem());
            try
            {
                // Two processes starting at once: the first move wins, the other loads its file.
                File.Move(temp, path, overwrite: false);
                Log.Generated(logger, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        PrivateFiles.Restrict(path); // made 0644 by an older version
        return LoadFile(new KeyFileOptions { Path = path });
    }
}
