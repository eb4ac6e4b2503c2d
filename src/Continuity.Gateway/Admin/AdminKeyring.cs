using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Continuity.Gateway.Admin;

/// <summary>API key hash → the admin it belongs to, built once from configuration.</summary>
internal sealed class AdminKeyring
{
    private readonly FrozenDictionary<string, AdminActor> _byHash;

    public AdminKeyring(IOptions<ContinuityOptions> options)
    {
        var entries = new Dictionary<string, AdminActor>(StringComparer.Ordinal);
        foreach (var (tenantId, tenant) in options.Value.Tenants)
        {
            foreach (var (name, admin) in tenant.Admins)
            {
                foreach (var hash in admin.ApiKeyHashes)
                {
                    entries[hash] = new AdminActor(name, tenantId, admin.Role);
                }
            }
        }

        _byHash = entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public AdminActor? Find(string apiKey) => _byHash.GetValueOrDefault(SecretHash.Of(apiKey));

    /// <summary>A new random key (256 bits, URL-safe).</summary>
    public static string NewKey() =>
        "cty_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
