using System.Globalization;
using System.Security.Cryptography;
using MailKit;

namespace Continuity.Mail.Sync;

/// <summary>
/// What makes two copies of a message the same message when UIDs cannot tell (a new UIDVALIDITY, a crash between
/// APPEND and the checkpoint, a continuity copy the MX already delivered to the sovereign INBOX):
/// <c>mid:&lt;Message-ID&gt;|&lt;Date header, unix seconds&gt;</c>, or <c>sha:&lt;SHA-256 of the whole message&gt;</c> when it has no
/// Message-ID. The Date makes two different messages that share a Message-ID (broken senders) different keys; copies
/// that differ only in trace headers (Received, Delivered-To, as the MX copy does) keep the same key. Keys are matched
/// as a multiset: a source message claims one unclaimed copy, so two identical source messages still get two copies.
/// </summary>
internal static class MessageKey
{
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
