namespace Continuity.Mail.Imap;

/// <summary>
/// Client responses of OAUTHBEARER (RFC 7628: <c>n,a=user,^Aauth=Bearer token^A^A</c>) and XOAUTH2
/// (<c>user=user^Aauth=Bearer token^A^A</c>), base64-encoded; bounded and never thrown on.
/// </summary>
internal static class BearerSasl
{
    public const int MaxEncodedLength = 16 * 1024;

    /// <summary>The error challenge both mechanisms send before the final NO (RFC 7628 3.2.2).</summary>
    public static readonly string ErrorChallenge = Convert.ToBase64String("{\"status\":\"invalid_token\"}"u8);

    public static bool TryParse(string mechanism, string base64, out string user, out string token)
    {
        user = token = "";
        if (base64.Length is 0 or > MaxEncodedLength)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split('\u0001');
        string? found = null;
        if (mechanism == "OAUTHBEARER")
        {
            // gs2-header: "n,a=user," (the authzid may be empty, then the token names the user).
            var header = parts[0].Split(',');
            if (header.Length < 2 || header[0] is not ("n" or "y"))
            {
                return false;
            }

            found = header[1].StartsWith("a=", StringComparison.Ordinal) ? header[1][2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal) : null;
        }
        else
        {
            found = parts[0].StartsWith("user=", StringComparison.Ordinal) ? parts[0][5..] : null;
        }

        var auth = parts.FirstOrDefault(p => p.StartsWith("auth=Bearer ", StringComparison.OrdinalIgnoreCase));
        if (string.IsNullOrEmpty(found) || auth is null || auth.Length <= 12)
        {
            return false;
        }

        user = found;
        token = auth[12..];
        return true;
    }
}
