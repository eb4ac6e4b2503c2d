namespace Continuity.Core.Credentials;

/// <summary>How app passwords are hashed and bounded.</summary>
public sealed class AppPasswordOptions
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new passwords. Default 600 000, OWASP's 2023 figure for
    /// PBKDF2-SHA256. Each stored password keeps its own count, so raising it affects only new ones.
    /// </summary>
    public int Iterations { get; set; } = 600_000;

    /// <summary>Most app passwords one user may hold (each login checks one, found by id). Default 50.</summary>
    public int MaxPerUser { get; set; } = 50;

    /// <summary>Longest label accepted. Default 100 characters.</summary>
    public int MaxLabelLength { get; set; } = 100;

    /// <summary>
    /// How long this node remembers that a password matched, so the same client logging in again skips the KDF
    /// (a mail client opens several connections and reconnects often; 600 000 PBKDF2 iterations cost ~150 ms of
    /// CPU each). Default 5 minutes, like Dovecot's <c>auth_cache_ttl</c> order of magnitude; 0 turns the cache
    /// off. Revoking a password takes effect at once regardless: every login reads the stored record.
    /// </summary>
    public TimeSpan VerifiedCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most remembered verifications per node (about 100 bytes each). Default 10 000; 0 turns the cache off.</summary>
    public int VerifiedCacheSize { get; set; } = 10_000;
}
