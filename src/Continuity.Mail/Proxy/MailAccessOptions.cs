namespace Continuity.Mail.Proxy;

/// <summary>
/// The IMAP and submission proxy, bound from <c>Continuity:Mail:Access</c>. Ports come from
/// <c>Continuity:Listeners</c> (<c>Imap</c>, <c>Imaps</c>, <c>Submission</c>, and <see cref="SubmissionsPort"/>).
/// </summary>
public sealed class MailAccessOptions
{
    public const string SectionName = "Continuity:Mail:Access";

    /// <summary>Certificate for STARTTLS and the implicit-TLS ports. Without one, only loopback clients can log in.</summary>
    public MailAccessTlsOptions Tls { get; set; } = new();

    /// <summary>Implicit-TLS submission port (465, RFC 8314); 0 (default) turns it off.</summary>
    public int SubmissionsPort { get; set; }

    /// <summary>
    /// Allow passwords over an unencrypted connection from a loopback address (a local webmail, tests). Default true;
    /// everywhere else plain-text authentication needs TLS and the capability list says LOGINDISABLED.
    /// </summary>
    public bool AllowPlaintextOnLoopback { get; set; } = true;

    /// <summary>Longest command line before login, in bytes. Default 8192 (RFC 7162 section 4 asks servers to accept at least 8192).</summary>
    public int MaxCommandLine { get; set; } = 8192;

    /// <summary>Largest literal before login (a user name, a password, an ID value). Default 4096, LITERAL-'s bound (RFC 7888).</summary>
    public int MaxLiteral { get; set; } = 4096;

    /// <summary>Most bytes one pre-login command may hold, lines and literals together. Default 16384.</summary>
    public int MaxCommandBytes { get; set; } = 16384;

    /// <summary>Failed authentications on one connection before it is closed. Default 3 (Dovecot closes after 3 too).</summary>
    public int MaxAuthFailuresPerConnection { get; set; } = 3;

    /// <summary>
    /// Time a client may stay silent before logging in (IMAP: <c>* BYE</c>; submission: <c>421</c>, and on submission every
    /// wait for a command). Default 60 s: a client logs in within a second of the greeting, and a silent one would
    /// otherwise hold its connection for the whole <see cref="IdleTimeout"/>.
    /// </summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Time a spliced session may see no byte either way. Default 31 minutes: RFC 9051 section 5.4 makes the
    /// autologout timer at least 30 minutes, and clients re-issue IDLE every 29.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(31);

    /// <summary>Longest a proxied session lasts; clients reconnect after. Default 24 hours.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Time to connect to a backend and finish its greeting and login. Default 15 s.</summary>
    public TimeSpan BackendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Concurrent IMAP connections per node; more are greeted with BYE. Default 10000.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>
    /// IMAP connections one client address (IPv6: one /64) may hold open <b>before logging in</b>; the next is answered
    /// <c>* BYE Too many connections from your address</c> and closed. Logged-in sessions do not count: they belong to a
    /// user with credentials, and an office behind one NAT address holds hundreds of them (Thunderbird keeps up to 5 per
    /// account, IDLE for hours). Default 50: a login takes well under a second, so even a large office or a webmail host
    /// rarely has more than a few dozen under way at once, while one client can no longer hold the
    /// <see cref="MaxSessions"/> slots without a password. 0 turns the cap off.
    /// </summary>
    public int MaxPreLoginConnectionsPerAddress { get; set; } = 50;

    /// <summary>
    /// Submission connections (STARTTLS and implicit-TLS ports together) one client address (IPv6: one /64) may hold
    /// at once; the next is answered <c>421 4.7.0 Too many connections from your address</c> and closed. Default 50:
    /// a submission lasts seconds, so 50 at once is a busy office behind one NAT address; the client retries a 421
    /// later. 0 turns the cap off.
    /// </summary>
    public int MaxSubmissionConnectionsPerAddress { get; set; } = 50;

    /// <summary>Largest message accepted for submission, in bytes. Default 35 MB (a common provider limit).</summary>
    public int MaxMessageSize { get; set; } = 35 * 1024 * 1024;
}
