namespace Continuity.Identity.AppSessions;

/// <summary>Why a ticket was (not) redeemed.</summary>
internal enum AppSessionOutcome
{
    Redeemed,

    /// <summary>Missing, not made by a gateway node, or malformed.</summary>
    Invalid,
    Expired,

    /// <summary>Made for another host, or the host is not an app of the ticket's tenant.</summary>
    WrongHost,

    /// <summary>Presented by a browser other than the one that asked for it (no or another nonce cookie): login CSRF.</summary>
    Unbound,

    /// <summary>Already redeemed (on any node).</summary>
    Replayed,

    /// <summary>The state store could not be asked whether the ticket was used: refused, to be safe.</summary>
    Unavailable,
}

/// <summary>The outcome, and on success the session to start and where to go.</summary>
internal sealed record AppSessionRedemption(AppSessionOutcome Outcome, ClaimsPrincipal? Principal = null, string? ReturnPath = null);
