using System.Buffers.Text;

namespace Continuity.Mail.Proxy;

/// <summary>SASL PLAIN (RFC 4616): <c>[authzid] NUL authcid NUL passwd</c>, base64 in IMAP and SMTP.</summary>
internal static class SaslPlain
{
    /// <summary>Longest base64 response accepted (255 octets each for the three parts, RFC 4616, plus slack).</summary>
    public const int MaxEncodedLength = 2048;

    /// <summary>Decodes a client response; false for bad base64, a bad shape, an authzid naming another user, or NUL/CR/LF inside a part.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> base64, out string user, out string password)
    {
        user = password = "";
        if (base64.Length == 0 || base64.Length > MaxEncodedLength)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Base64.DecodeFromUtf8(base64, decoded, out var consumed, out var written) != System.Buffers.OperationStatus.Done || consumed != base64.Length)
        {
            return false;
        }

        decoded = decoded[..written];
        var first = decoded.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var rest = decoded[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second <= 0 || rest[(second + 1)..].IndexOf((byte)0) >= 0)
        {
            return false;
        }

        var authzid = decoded[..first];
        var authcid = rest[..second];
        var passwd = rest[(second + 1)..];
        if (passwd.Length == 0 || authcid.IndexOfAny("\r\n"u8) >= 0)
        {
            return false;
        }

        try
        {
            var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
            user = utf8.GetString(authcid);
            if (authzid.Length > 0 && !string.Equals(utf8.GetString(authzid), user, StringComparison.OrdinalIgnoreCase))
            {
                return false; // acting as someone else is the master user's privilege, not a client's
            }

            password = utf8.GetString(passwd);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
