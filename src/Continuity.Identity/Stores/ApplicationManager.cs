using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Continuity.Identity.Stores;

/// <summary>
/// Verifies client secrets against configured <c>sha256:&lt;hex&gt;</c> hashes (the same form as admin
/// API keys), in constant time. Other forms fall back to OpenIddict's PBKDF2 format.
/// </summary>
internal sealed class ApplicationManager(
    IOpenIddictApplicationCache<IdentityApplication> cache,
    ILogger<OpenIddictApplicationManager<IdentityApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<IdentityApplication> store)
    : OpenIddictApplicationManager<IdentityApplication>(cache, logger, options, store)
{
    private const string Prefix = "sha256:";

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(comparand);
        if (!comparand.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
        }

        return ValueTask.FromResult(Matches(secret, comparand));
    }

    /// <summary>True when <paramref name="secret"/> hashes to <paramref name="hash"/> (<c>sha256:&lt;hex&gt;</c>).</summary>
    internal static bool Matches(string secret, string hash)
    {
        var expected = Convert.FromHexString(hash.AsSpan(Prefix.Length));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>The configuration form of a secret's hash.</summary>
    public static string Hash(string secret) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
