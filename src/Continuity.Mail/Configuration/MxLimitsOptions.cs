namespace Continuity.Mail.Configuration;

/// <summary>Limits of the MX listener. The defaults follow Postfix's, which the Internet's senders are used to.</summary>
public sealed class MxLimitsOptions
{
    /// <summary>Largest message in bytes (SIZE, 552 5.3.4 past it). Default 10 240 000: Postfix's <c>message_size_limit</c>.</summary>
    public int MaxMessageSize { get; set; } = 10_240_000;

    /// <summary>Recipients per message (452 4.5.3 past it). Default 1000: Postfix's <c>smtpd_recipient_limit</c>.</summary>
    public int MaxRecipients { get; set; } = 1000;

    /// <summary>
    /// Longest wait for the next bytes from a client, in a command or in the middle of DATA. Default 5 min:
    /// RFC 5321 4.5.3.2 and Postfix's <c>smtpd_timeout</c>.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest wait for the next bytes from a client that has not yet given a MAIL command that was accepted; past it
    /// the client gets <c>421 4.4.2</c> and is closed. Default 60 s: a real MTA sends EHLO, STARTTLS and MAIL within
    /// milliseconds of the banner, while a client that connects and says nothing would otherwise hold a session slot for
    /// the whole <see cref="IdleTimeout"/>. Postfix goes as low as 10 s under stress (<c>smtpd_timeout</c> with
    /// <c>stress</c>); 60 s keeps slow but honest senders. A value longer than <see cref="IdleTimeout"/> means <see cref="IdleTimeout"/>.
    /// </summary>
    public TimeSpan IdleTimeoutBeforeMail { get; set; } = TimeSpan.FromSeconds(60);

    internal TimeSpan EffectiveIdleTimeoutBeforeMail => IdleTimeoutBeforeMail < IdleTimeout ? IdleTimeoutBeforeMail : IdleTimeout;

    /// <summary>Longest whole session, however busy. Default 30 min: a slow client can send a full-size message well within it.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Concurrent sessions; further clients wait in the TCP backlog. Default 100: Postfix's <c>default_process_limit</c>.</summary>
    public int MaxSessions { get; set; } = 100;

    /// <summary>
    /// Sessions one client address (IPv6: one /64) may hold at once; the next is answered
    /// <c>421 4.7.0 Too many connections from your address</c> and closed. Default 10: one address can hold a tenth of
    /// <see cref="MaxSessions"/>, not all of it. Postfix's <c>smtpd_client_connection_count_limit</c> is 50, half its
    /// process limit, so two clients can fill a Postfix; the senders the MX serves open a few connections per
    /// destination, and those that open more take the 421 as a signal to lower their concurrency (Postfix's own
    /// destination concurrency feedback does), so mail is delayed at worst, never lost. 0 turns the cap off.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 10;

    /// <summary>
    /// Bare LF (a line feed not after a carriage return) in DATA is refused (550 5.6.0) when false, as Postfix's
    /// <c>smtpd_forbid_bare_newline</c> does against SMTP smuggling. Default false.
    /// </summary>
    public bool AllowBareLineFeed { get; set; }
}
