using System.Security.Cryptography;

namespace Continuity.Mail.Sync;

/// <summary>
/// What makes two copies of a message the same message when UIDs cannot tell (a new UIDVALIDITY, a crash between
/// APPEND and the checkpoint, a continuity copy the MX already delivered to the sovereign INBOX):
/// <c>mid:&lt;Message-ID&gt;|&lt;Date header, unix seconds&gt;</c>, or <c>sha:&lt;SHA-256 of the whole message&gt;</c> when it has no
/// Message-ID. The Date makes two different messages that share a Message-ID (broken senders) different keys; copies
/// that differ only in trace headers (Received, Delivered-To, as the MX copy does) keep the same key. Keys are matched
/// as a multiset: a source message claims one unclaimed copy, so two identical source messages still get two copies.
/// <para>
/// Copies the MX delivered carry the spool id it wrote (<see cref="Spool.SpoolIdHeader"/>): <c>sid:&lt;spool id&gt;</c>
/// is their key. It is exact where Message-ID is not: the primary copy and the continuity copy of one spooled message
/// share it, two separate deliveries of one Message-ID (the sender sent it twice) do not, and a message without a
/// Message-ID is matched although the backends added different trace headers. A destination copy is indexed by its
/// spool id when it has one; a source message tries its spool id first and then its Message-ID key (a copy indexed
/// before spool ids existed, or one that came another way).
/// </para>
/// </summary>
internal static class MessageKey
{
    /// <summary>The header to fetch with each summary (<see cref="Keys"/> and <see cref="IndexKey"/> read it).</summary>
    public static readonly string[] Headers = [Spool.SpoolIdHeader.Name];

    /// <summary>The spool-id key, or null when the message did not come through this gateway's MX (or was not fetched with <see cref="Headers"/>).</summary>
    public static string? FromSpoolId(IMessageSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var id = summary.Headers?[Spool.SpoolIdHeader.Name]?.Trim();
        return string.IsNullOrEmpty(id) ? null : $"sid:{id}";
    }

    /// <summary>The keys a source message claims a destination copy by, best first.</summary>
    public static IEnumerable<string> Keys(IMessageSummary summary)
    {
        if (FromSpoolId(summary) is { } sid)
        {
            yield return sid;
        }

        if (FromEnvelope(summary.Envelope) is { } mid)
        {
            yield return mid;
        }
    }

    /// <summary>The one key a destination copy is indexed by, or null (hash its content).</summary>
    public static string? IndexKey(IMessageSummary summary) => FromSpoolId(summary) ?? FromEnvelope(summary.Envelope);

    /// <summary>The Message-ID key, or null when the message has none (the caller hashes the body).</summary>
    public static string? FromEnvelope(Envelope? envelope)
    {
        var id = envelope?.MessageId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var date = envelope!.Date is { } d ? d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "";
        return $"mid:{id}|{date}";
    }

    public static string FromContent(ReadOnlySpan<byte> message) => "sha:" + Convert.ToHexStringLower(SHA256.HashData(message));

    public static async Task<string> FromContentAsync(Stream message, CancellationToken cancellationToken) =>
        "sha:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(message, cancellationToken).ConfigureAwait(false));
}
