using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Identity.KeyProtection;

/// <summary>
/// Reverses <see cref="AesGcmXmlEncryptor"/>. Data Protection creates it by type name from the stored XML,
/// through the public constructor that takes the service provider.
/// </summary>
internal sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<DataProtectionKey>();
        var keyId = (string?)encryptedElement.Attribute("keyId") ?? "";
        if (!key.Enabled || !string.Equals(keyId, key.Id, StringComparison.Ordinal))
        {
            throw new CryptographicException(
                $"This Data Protection key was encrypted with key file {keyId}, not the one configured ({(key.Enabled ? key.Id : "none")}): " +
                "give every node the same Continuity:DataProtection:KeyFile.");
        }

        var ns = AesGcmXmlEncryptor.Ns;
        var nonce = Convert.FromBase64String((string?)encryptedElement.Element(ns + "nonce") ?? "");
        var tag = Convert.FromBase64String((string?)encryptedElement.Element(ns + "tag") ?? "");
        var ciphertext = Convert.FromBase64String((string?)encryptedElement.Element(ns + "value") ?? "");
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key.Key, AesGcmXmlEncryptor.TagBytes))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(keyId));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
