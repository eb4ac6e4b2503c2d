using Continuity.Core.IO;

namespace Continuity.Core.Audit;

/// <summary>
/// The HMAC key of the audit chains (<c>Continuity:Audit:KeyFile</c>, else generated once into
/// <c>{DataDir}/keys/audit.key</c>, 0600). Loaded on first use.
/// </summary>
public sealed class AuditKey
{
    private const int KeyBytes = 32;
    private readonly Lazy<byte[]> _key;

    public AuditKey(IOptions<ContinuityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = new(() => Load(options.Value));
    }

    /// <summary>A fixed key (tests, tools).</summary>
    public AuditKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = new(key);
    }

    internal byte[] Bytes => _key.Value;

    private static byte[] Load(ContinuityOptions options)
    {
        var path = options.Audit.KeyFile ?? PrivateFiles.GeneratedKeyFile(options.DataDir, "audit.key", KeyBytes);
        var raw = File.ReadAllBytes(path);
        try
        {
            var decoded = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(raw).Trim());
            if (decoded.Length >= KeyBytes)
            {
                return decoded;
            }
        }
        catch (FormatException)
        {
            // Not base64: raw bytes.
        }

        return raw.Length >= KeyBytes ? raw
            : throw new InvalidOperationException($"{path}: an audit key file holds at least 32 bytes, raw or base64 (openssl rand -base64 32)");
    }
}
