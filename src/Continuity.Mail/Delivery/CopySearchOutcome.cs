namespace Continuity.Mail.Delivery;

/// <summary>What <see cref="DeliveredCopyFinder"/> learnt about an earlier, unconfirmed delivery.</summary>
internal enum CopySearchOutcome
{
    /// <summary>The mailbox holds a message with the spool id: the earlier attempt arrived.</summary>
    Found,

    /// <summary>The mailbox holds none: the earlier attempt did not arrive, so deliver.</summary>
    NotFound,

    /// <summary>No IMAP login is configured for that provider (or no tenant): deliver again, at-least-once.</summary>
    CannotSearch,

    /// <summary>The backend could not be asked now: ask again at the next retry, deliver nothing meanwhile.</summary>
    Unreachable,
}
