namespace Continuity.Mail.Configuration;

/// <summary>
/// How spooled mail reaches the providers' inbound backends. Retry times follow Postfix's defaults
/// (<c>minimal_backoff_time</c>, <c>maximal_backoff_time</c>, <c>maximal_queue_lifetime</c>).
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>Wait after the first temporary failure; each further failure doubles it. Default 300 s (Postfix).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Longest wait between two attempts. Default 4000 s (Postfix).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(4000);

    /// <summary>After this long in the queue a recipient still failing temporarily is bounced. Default 5 days (Postfix).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Deliveries (one message to one backend) running at once. Default 8.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Connect timeout to a backend. Default 30 s (Postfix's <c>smtp_connect_timeout</c>).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for one backend reply (the reply to the final dot included). Default 10 min (RFC 5321 4.5.3.2 for DATA end).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Idle backend connections kept per backend for reuse. Default 4; 0 turns pooling off.</summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>
    /// Permanent backend refusals that mean "this mailbox was disabled by the provider", as regular expressions
    /// over the reply text <c>"550 5.2.1 …"</c>. A match for a known user raises a cut-off signal and holds the
    /// mail for that user (delivered once the user's route changes) instead of bouncing it.
    /// Default (null): <see cref="DefaultDisabledMailboxPatterns"/>; an empty list turns holding off.
    /// </summary>
    public List<string>? DisabledMailboxPatterns { get; set; }

    /// <summary>Enhanced codes 5.2.1 (mailbox disabled) and 5.1.1 (no such user, where the gateway knows the user exists).</summary>
    public static IReadOnlyList<string> DefaultDisabledMailboxPatterns { get; } = [@"^5\d\d 5\.2\.1\b", @"^5\d\d 5\.1\.1\b"];

    internal IReadOnlyList<string> EffectiveDisabledMailboxPatterns => DisabledMailboxPatterns ?? DefaultDisabledMailboxPatterns;

    /// <summary>
    /// Where mail for addresses outside the tenants' domains goes (today: bounces to outside senders), as
    /// <c>smtp://host:port</c> or <c>lmtp://host:port</c>. Default null: such bounces are logged and dropped.
    /// </summary>
    public string? Relay { get; set; }
}
