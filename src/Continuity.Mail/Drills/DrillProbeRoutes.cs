using System.Security.Cryptography;

namespace Continuity.Mail.Drills;

/// <summary>
/// Probe messages of a continuity drill: a message the drill sends through this node's own MX with the envelope
/// sender <c>continuity-drill+{token}@…</c>, where the token was issued here moments before, goes to the provider the
/// drill named (the sovereign mailbox) instead of the recipient's route, so a drill proves MX → sovereign without
/// moving the user and without a copy in the primary mailbox. Tokens are 128 random bits, kept in memory on the node
/// that sends the probe (the drill talks to its own MX) for <see cref="Lifetime"/>; a forged sender without a live
/// token is ordinary mail.
/// </summary>
public sealed class DrillProbeRoutes(TimeProvider time)
{
    /// <summary>Local part prefix of a probe's envelope sender.</summary>
    public const string SenderPrefix = "continuity-drill+";

    /// <summary>How long an issued token routes: far longer than a probe takes to deliver, short enough to forget.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (string Recipient, string Provider, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    /// <summary>Issues a token for one probe to <paramref name="recipient"/>, delivered to <paramref name="provider"/>; returns the envelope sender to use.</summary>
    public string Issue(string recipient, string provider, string domain)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var now = time.GetUtcNow();
        foreach (var (key, value) in _tokens)
        {
            if (value.Expires <= now)
            {
                _tokens.TryRemove(key, out _);
            }
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (recipient.ToLowerInvariant(), provider, now + Lifetime);
        return $"{SenderPrefix}{token}@{domain}";
    }

    /// <summary>The provider a probe from <paramref name="sender"/> to <paramref name="recipient"/> goes to, or null for ordinary mail.</summary>
    public string? Find(string? sender, string recipient)
    {
        if (sender is null || !sender.StartsWith(SenderPrefix, StringComparison.OrdinalIgnoreCase) || _tokens.IsEmpty)
        {
            return null;
        }

        var at = sender.IndexOf('@', StringComparison.Ordinal);
        var token = at < 0 ? sender[SenderPrefix.Length..] : sender[SenderPrefix.Length..at];
        return _tokens.TryGetValue(token.ToLowerInvariant(), out var entry)
            && entry.Expires > time.GetUtcNow()
            && string.Equals(entry.Recipient, recipient, StringComparison.OrdinalIgnoreCase)
            ? entry.Provider
            : null;
    }

    /// <summary>Forgets the token of <paramref name="sender"/> (the probe was found and removed).</summary>
    public void Forget(string sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var at = sender.IndexOf('@', StringComparison.Ordinal);
        if (sender.StartsWith(SenderPrefix, StringComparison.OrdinalIgnoreCase) && at > SenderPrefix.Length)
        {
            _tokens.TryRemove(sender[SenderPrefix.Length..at].ToLowerInvariant(), out _);
        }
    }
}
