using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Continuity.Identity.Keys;

/// <summary>Gives OpenIddict's server and client the node's keys (the first of each kind is the active one).</summary>
internal sealed class ConfigureKeys(KeyRing keys) : IConfigureOptions<OpenIddictServerOptions>, IConfigureOptions<OpenIddictClientOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SigningCredentials.AddRange(keys.Signing.Select(Signing));
        options.EncryptionCredentials.AddRange(keys.Encryption.Select(Encrypting));
    }

    public void Configure(OpenIddictClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SigningCredentials.AddRange(keys.Signing.Select(Signing));
        options.EncryptionCredentials.AddRange(keys.Encryption.Select(Encrypting));
    }

    private static SigningCredentials Signing(SecurityKey key) => new(key, SecurityAlgorithms.RsaSha256);

    private static EncryptingCredentials Encrypting(SecurityKey key) =>
        new(key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512);
}
