using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Continuity.Identity.KeyProtection;

/// <summary>
/// Encrypts each Data Protection key element (its <c>&lt;masterKey&gt;</c> included) with AES-256-GCM under the
/// key of <see cref="DataProtectionKey"/> before it is written to the store. Stored form:
/// <code>
/// &lt;encryptedKey xmlns="urn:continuity:dataprotection" keyId="…16 hex…"&gt;
///   &lt;nonce&gt;base64 12 bytes&lt;/nonce&gt;&lt;tag&gt;base64 16 bytes&lt;/tag&gt;&lt;value&gt;base64 ciphertext&lt;/value&gt;
/// &lt;/encryptedKey&gt;
/// </code>
/// The key id is authenticated as associated data, so a value cannot be moved under another key's name.
/// </summary>
internal sealed class AesGcmXmlEncryptor(DataProtectionKey key) : IXmlEncryptor
{
    internal static readonly XNamespace Ns = "urn:continuity:dataprotection";
    internal const int NonceBytes = 12;
    internal const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var tag = new byte[TagBytes];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key.Key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(key.Id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(Ns + "encryptedKey",
            new XAttribute("keyId", key.Id),
            new XComment(" AES-256-GCM with the key file of Continuity:DataProtection:KeyFile (or {DataDir}/keys/dataprotection.key) "),
            new XElement(Ns + "nonce", Convert.ToBase64String(nonce)),
            new XElement(Ns + "tag", Convert.ToBase64String(tag)),
            new XElement(Ns + "value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}
