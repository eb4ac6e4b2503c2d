namespace Continuity.Mail.Spool;

/// <summary>The SMTP envelope of one spooled message, stored as the first line (JSON) of its spool file.</summary>
internal sealed record SpoolEnvelope
{
    public required string Id { get; init; }

    /// <summary>MAIL FROM address; empty for the null sender (bounces).</summary>
    public required string From { get; init; }

    public required IReadOnlyList<SpoolRecipient> Recipients { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Remote address of the client that handed the message over (or <c>local</c> for bounces).</summary>
    public string? Client { get; init; }

    /// <summary>True for a delivery status notification this gateway generated: it is never bounced itself.</summary>
    public bool IsBounce { get; init; }
}

/// <summary>One recipient as given in RCPT TO, and where it goes.</summary>
/// <param name="Address">The address as the sender wrote it (used in DSNs).</param>
/// <param name="DeliverTo">The mailbox to deliver to (differs for catch-all).</param>
/// <param name="Tenant">The tenant that owns it, or null for an outside address (bounces go through the relay).</param>
internal sealed record SpoolRecipient(string Address, string DeliverTo, string? Tenant);
