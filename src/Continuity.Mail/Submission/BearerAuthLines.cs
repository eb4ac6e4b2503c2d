using System.Text;
using Continuity.Mail.Imap;

namespace Continuity.Mail.Submission;

/// <summary>
/// OAUTHBEARER / XOAUTH2 for the submission proxy. SmtpServer's parser knows only AUTH PLAIN and LOGIN (a closed enum), so
/// before the first MAIL command each client line is looked at: <c>AUTH XOAUTH2|OAUTHBEARER [response]</c> (and the response
/// line that follows a bare one) becomes <c>AUTH PLAIN</c> with the password <see cref="Marker"/> + token, which
/// <see cref="SubmissionAuthenticator"/> checks as a bearer token. From MAIL on (the envelope and the message) lines pass
/// untouched. A SASL response that does not parse (or a cancel) becomes a PLAIN response that fails (535).
/// </summary>
internal sealed class BearerAuthLines
{
    /// <summary>Starts the PLAIN password of a rewritten bearer login (a control character no app password holds).</summary>
    public const string Marker = "\u0001bearer\u0001";

    private string? _pendingMechanism;

    /// <summary>True once MAIL was seen: nothing after it is looked at.</summary>
    public bool Passthrough { get; private set; }

    /// <summary>The line to hand to the SMTP parser (the same array when nothing changes). <paramref name="line"/> ends with LF.</summary>
    public byte[] Rewrite(byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = Encoding.ASCII.GetString(line).TrimEnd('\r', '\n');
        if (_pendingMechanism is { } mechanism)
        {
            _pendingMechanism = null;
            // A cancel ("*") becomes a failing response too: SmtpServer would end the session on base64 it cannot decode.
            return Line(Plain(mechanism, text));
        }

        if (text.StartsWith("MAIL ", StringComparison.OrdinalIgnoreCase))
        {
            Passthrough = true;
            return line;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3 || !parts[0].Equals("AUTH", StringComparison.OrdinalIgnoreCase)
            || parts[1].ToUpperInvariant() is not ("XOAUTH2" or "OAUTHBEARER"))
        {
            return line;
        }

        var name = parts[1].ToUpperInvariant();
        if (parts.Length == 2)
        {
            _pendingMechanism = name;
            return Line("AUTH PLAIN");
        }

        return Line("AUTH PLAIN " + Plain(name, parts[2]));
    }

    private static string Plain(string mechanism, string response)
    {
        var (user, password) = BearerSasl.TryParse(mechanism, response, out var u, out var token) ? (u, Marker + token) : ("-", Marker);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
    }

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\r\n");
}
