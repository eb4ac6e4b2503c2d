using Continuity.Core.IO;

namespace Continuity.Identity.KeyProtection;

/// <summary>
/// The symmetric key that encrypts the Data Protection keys at rest (<see cref="AesGcmXmlEncryptor"/>):
/// <c>Continuity:DataProtection:KeyFile</c>, or, for the embedded store with nothing configured, a key
/// generated once into <c>{DataDir}/keys/dataprotection.key</c> (0600). Null when the keys are protected
/// by a certificate or (development with an external store only) not at all.
/// </summary>
internal sealed class DataProtectionKey
{
    private const int KeyBytes = 32;
    private readonly Lazy<(byte[] Key, string Id)?> _key;

    public DataProtectionKey(IOptions<ContinuityOptions> continuity)
    {
        ArgumentNullException.ThrowIfNull(continuity);
        _key = new(() => Load(continuity.Value));
    }

    public bool Enabled => _key.Value is not null;

    /// <summary>The 256-bit key (throws when <see cref="Enabled"/> is false).</summary>
    public byte[] Key => _key.Value?.Key ?? throw new InvalidOperationException("No Data Protection key file is configured.");

    /// <summary>A short public name of the key (first bytes of its SHA-256), written beside each encrypted key to name the file needed.</summary>
    public string Id => _key.Value?.Id ?? throw new InvalidOperationException("No Data Protection key file is configured.");

    private static (byte[], string)? Load(ContinuityOptions options)
    {
        var path = options.DataProtection.KeyFile;
        if (path is null)
        {
            if (options.DataProtection.Certificate is not null || options.State.Redis is not null)
            {
                return null;
            }

            path = PrivateFiles.GeneratedKeyFile(options.DataDir, "dataprotection.key", KeyBytes);
        }

        var key = Read(path);
        return (key, Convert.ToHexStringLower(SHA256.HashData(key))[..16]);
    }

    /// <summary>Base64 text of 32 bytes, or exactly 32 raw bytes.</summary>
    internal static byte[] Read(string path)
    {
        var raw = File.ReadAllBytes(path);
        try
        {
            var decoded = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(raw).Trim());
            if (decoded.Length == KeyBytes)
            {
                return decoded;
            }
        }
        catch (FormatException)
        {
            // Not base64: maybe raw bytes.
        }

        return raw.Length == KeyBytes
            ? raw
            : throw new InvalidOperationException($"{path}: a Data Protection key file holds 32 bytes, raw or base64 (openssl rand -base64 32)");
    }
}
