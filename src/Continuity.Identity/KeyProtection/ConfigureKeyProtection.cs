using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;

namespace Continuity.Identity.KeyProtection;

/// <summary>
/// Chooses how Data Protection keys are encrypted at rest: the certificate (ASP.NET Core's own
/// <c>ProtectKeysWithCertificate</c>, set up at registration by <see cref="UseCertificate"/>), the key file
/// (<see cref="AesGcmXmlEncryptor"/>), or — development with an external store only, which start-up
/// validation enforces — nothing, with a warning.
/// </summary>
internal sealed partial class ConfigureKeyProtection(
    DataProtectionKey key, IOptions<ContinuityOptions> continuity, ILogger<ConfigureKeyProtection> logger) : IConfigureOptions<KeyManagementOptions>
{
    /// <summary>Encrypts to, and decrypts with, <c>Continuity:DataProtection:Certificate</c> when it is set and exists (validation reports it otherwise).</summary>
    public static void UseCertificate(IDataProtectionBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"{ContinuityOptions.SectionName}:{nameof(ContinuityOptions.DataProtection)}");
        if (section[nameof(DataProtectionKeyOptions.Certificate)] is { Length: > 0 } path && File.Exists(path))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(
                path, section[nameof(DataProtectionKeyOptions.CertificatePassword)], X509KeyStorageFlags.EphemeralKeySet);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
    }

    public void Configure(KeyManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (continuity.Value.DataProtection.Certificate is not null)
        {
            return; // UseCertificate did it.
        }

        if (key.Enabled)
        {
            options.XmlEncryptor = new AesGcmXmlEncryptor(key);
        }
        else
        {
            Log.Unencrypted(logger);
        }
    }
}
