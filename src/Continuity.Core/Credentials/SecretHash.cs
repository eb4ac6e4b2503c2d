using System.Text;
using System.Text.RegularExpressions;

namespace Continuity.Core.Credentials;

/// <summary>
/// The form in which configuration holds a secret the gateway must recognise but never stores: <c>sha256:</c> and the 64
/// lower-case hex digits of the SHA-256 of the secret's UTF-8 bytes. Admin API keys and OIDC client secrets use it; both
/// are random tokens of at least 32 characters, so one plain SHA-256 cannot be brute-forced (a guessable password gets
/// a slow hash instead, as app passwords do).
/// </summary>
public static partial class SecretHash
{
    public const string Prefix = "sha256:";

    /// <summary>The configuration form of <paramref name="secret"/>.</summary>
    public static string Of(string secret) => Prefix + Convert.ToHexStringLower(Digest(secret));

    /// <summary>True when <paramref name="hash"/> is in the configuration form (what the options validators require).</summary>
    public static bool IsWellFormed(string? hash) => hash is not null && Pattern().IsMatch(hash);

    /// <summary>True when <paramref name="secret"/> hashes to <paramref name="hash"/>, compared in constant time; false for a malformed hash.</summary>
    public static bool Matches(string secret, string hash) =>
        IsWellFormed(hash) && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash.AsSpan(Prefix.Length)), Digest(secret));

    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Pattern();
}
