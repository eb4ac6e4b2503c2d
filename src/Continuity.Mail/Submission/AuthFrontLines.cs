using Continuity.Mail.Imap;
using SmtpServer.IO;

namespace Continuity.Mail.Submission;

/// <summary>
/// The AUTH front of one submission session. SmtpServer ends a session without a reply when a SASL response is not
/// base64 (a <see cref="FormatException"/> inside the library, a client's cancel <c>*</c> included) and knows only PLAIN
/// and LOGIN, so before the first accepted MAIL command the front looks at each client line and runs every exchange of
/// AUTH PLAIN / LOGIN (and OAUTHBEARER / XOAUTH2 when <c>bearer</c> is on) itself: it sends the 334 challenges, answers a
/// cancel with 501 5.7.0 (RFC 4954 section 4) and undecodable base64 with 501 5.5.2, and hands the library one
/// well-formed <c>AUTH PLAIN</c> line once the exchange is complete, so the library's authenticator, attempt counter
/// and replies (235 / 535) stay in charge. A PLAIN login with an initial response passes unchanged; LOGIN becomes the
/// equivalent PLAIN line; a bearer login becomes PLAIN with the password <see cref="Marker"/> + token, which
/// <see cref="SubmissionAuthenticator"/> checks as a bearer token. After MAIL in an authenticated session (the envelope
/// and the message) nothing is looked at.
/// </summary>
internal sealed class AuthFrontLines(bool bearer, ISessionContext context, ISecurableDuplexPipe pipe)
{
    /// <summary>Starts the PLAIN password of a rewritten bearer login (a control character no app password holds).</summary>
    public const string Marker = "\u0001bearer\u0001";

    public const string Cancelled = "501 5.7.0 Authentication cancelled";
    public const string Undecodable = "501 5.5.2 Cannot decode response";
    public const string TooLong = "500 5.5.6 Authentication Exchange line is too long";

    private const string UsernameChallenge = "334 VXNlcm5hbWU6";
    private const string PasswordChallenge = "334 UGFzc3dvcmQ6";

    /// <summary>What the next client line is.</summary>
    private enum Expect
    {
        Command,
        PlainResponse,
        LoginUser,
        LoginPassword,
        BearerResponse,
    }

    private Expect _expect;
    private string _mechanism = "";
    private string _loginUser = "";
    private bool _greeted;

    /// <summary>True once MAIL was seen in an authenticated session: nothing after it is looked at.</summary>
    public bool Passthrough { get; private set; }

    /// <summary>True while a SASL exchange waits for the client's next response.</summary>
    public bool InExchange => _expect != Expect.Command;

    /// <summary>The session is in SmtpServer's state in which it would run AUTH (after HELO / EHLO or STARTTLS, not yet authenticated, TLS or plain text allowed).</summary>
    private bool MayAuthenticate =>
        _greeted && !context.Authentication.IsAuthenticated && (pipe.IsSecure || context.EndpointDefinition.AllowUnsecureAuthentication);

    /// <summary>STARTTLS was accepted (so the client had greeted); the front goes on with the new input.</summary>
    public void Upgraded() => _greeted = true;

    /// <summary>
    /// The front's handling of one complete client line (ending with LF): bytes for the SMTP parser, a reply to the
    /// client, or both never (a reply alone means the library sees nothing of this line).
    /// </summary>
    public Step Next(byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = Encoding.ASCII.GetString(line).TrimEnd('\r', '\n');
        if (_expect != Expect.Command)
        {
            return Response(text.Trim(' '));
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var verb = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
        if (verb is "HELO" or "EHLO")
        {
            _greeted = true;
        }

        if (verb == "MAIL" && context.Authentication.IsAuthenticated)
        {
            Passthrough = true;
        }

        if (verb != "AUTH" || parts.Length < 2)
        {
            return Step.Forward(line);
        }

        var mechanism = parts[1].ToUpperInvariant();
        var known = mechanism is "PLAIN" or "LOGIN" || (bearer && mechanism is "XOAUTH2" or "OAUTHBEARER");
        if (!MayAuthenticate)
        {
            // The library refuses AUTH here by its state table (503), before reading any response.
            return Step.Forward(known && mechanism is "XOAUTH2" or "OAUTHBEARER" ? Line("AUTH PLAIN") : line);
        }

        if (!known)
        {
            return Step.Reply("504 5.5.4 Unrecognized authentication type");
        }

        if (parts.Length > 3)
        {
            return Step.Reply("501 5.5.4 Syntax error in parameters");
        }

        _mechanism = mechanism;
        if (parts.Length == 2)
        {
            (_expect, var challenge) = mechanism switch
            {
                "PLAIN" => (Expect.PlainResponse, "334 "),
                "LOGIN" => (Expect.LoginUser, UsernameChallenge),
                _ => (Expect.BearerResponse, "334 "),
            };
            return Step.Reply(challenge);
        }

        // An initial response (RFC 4954: "=" is an empty one) goes through the same checks as a continuation.
        _expect = mechanism switch
        {
            "PLAIN" => Expect.PlainResponse,
            "LOGIN" => Expect.LoginUser,
            _ => Expect.BearerResponse,
        };
        var step = Response(parts[2]);
        return step.ToServer is not null && mechanism == "PLAIN" && Encoding.ASCII.GetString(step.ToServer) == text + "\r\n" ? Step.Forward(line) : step;
    }

    /// <summary>A line longer than the bound ended: in an exchange or as an AUTH command, that is the end of the exchange.</summary>
    public Step Overlong()
    {
        _expect = Expect.Command;
        return Step.Reply(TooLong);
    }

    /// <summary>Whether an overlong line starting with <paramref name="start"/> is the front's (a SASL response or an AUTH command it would run).</summary>
    public bool Claims(ReadOnlySpan<byte> start) =>
        InExchange || (start.Length >= 5 && Encoding.ASCII.GetString(start[..5]).Equals("AUTH ", StringComparison.OrdinalIgnoreCase) && MayAuthenticate);

    private Step Response(string response)
    {
        var expect = _expect;
        _expect = Expect.Command;
        if (response == "*")
        {
            return Step.Reply(Cancelled);
        }

        if (!TryDecode(response, out var decoded))
        {
            return Step.Reply(Undecodable);
        }

        switch (expect)
        {
            case Expect.PlainResponse:
                // The library's PLAIN parser wants exactly authzid NUL authcid NUL passwd on one line; anything else fails as a login (535).
                var plain = Encoding.UTF8.GetString(decoded);
                var wellFormed = plain.Count(c => c == '\0') == 2 && !plain.Contains('\r', StringComparison.Ordinal) && !plain.Contains('\n', StringComparison.Ordinal);
                return Step.Forward(Line("AUTH PLAIN " + (wellFormed ? response : Plain("", ""))));
            case Expect.LoginUser:
                _loginUser = Encoding.UTF8.GetString(decoded);
                _expect = Expect.LoginPassword;
                return Step.Reply(PasswordChallenge);
            case Expect.LoginPassword:
                var user = _loginUser;
                _loginUser = "";
                return Step.Forward(Line("AUTH PLAIN " + Plain(user, Encoding.UTF8.GetString(decoded))));
            default:
                var (bearerUser, password) = BearerSasl.TryParse(_mechanism, response, out var u, out var token) ? (u, Marker + token) : ("-", Marker);
                return Step.Forward(Line("AUTH PLAIN " + Plain(bearerUser, password)));
        }
    }

    /// <summary>Strict base64 (alphabet, padding, length), or "=" / nothing for an empty response.</summary>
    private static bool TryDecode(string text, out byte[] decoded)
    {
        decoded = [];
        if (text is "" or "=")
        {
            return true;
        }

        if (text.Length % 4 != 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        decoded = buffer[..written];
        return true;
    }

    /// <summary>A PLAIN response the library parses back into exactly these two (NUL, CR and LF, which no login holds, become U+FFFD).</summary>
    private static string Plain(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + Clean(user) + "\0" + Clean(password)));

    private static string Clean(string value) => value.Replace('\0', '\uFFFD').Replace('\r', '\uFFFD').Replace('\n', '\uFFFD');

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\r\n");

    /// <summary>What the front does with one client line: <see cref="ToServer"/> for the SMTP parser and/or <see cref="ToClient"/> as a reply.</summary>
    public readonly record struct Step(byte[]? ToServer, string? ToClient)
    {
        public static Step Forward(byte[] line) => new(line, null);

        public static Step Reply(string reply) => new(null, reply);
    }
}
