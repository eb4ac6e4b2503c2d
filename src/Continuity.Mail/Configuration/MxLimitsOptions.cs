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

    /// <summary>Longest whole session, however busy. Default 30 min: a slow client can send a full-size message well within it.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Concurrent sessions; further clients wait in the TCP backlog. Default 100: Postfix's <c>default_process_limit</c>.</summary>
    public int MaxSessions { get; set; } = 100;

    /// <summary>
    /// Bare LF (a line feed not after a carriage return) in DATA is refused (550 5.6.0) when false, as Postfix's
    /// <c>smtpd_forbid_bare_newline</c> does against SMTP smuggling. Default false.
    /// </summary>
    public bool AllowBareLineFeed { get; set; }
}
