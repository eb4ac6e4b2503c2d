namespace Continuity.Mail.Imap;

/// <summary>Where a connection is before login (RFC 9051 "not authenticated" split by whether TLS is on).</summary>
internal enum ImapState
{
    /// <summary>Not authenticated, no TLS yet: STARTTLS is offered.</summary>
    Plain,

    /// <summary>Not authenticated, TLS on (after STARTTLS or on the implicit-TLS port).</summary>
    Secure,

    /// <summary>Logged in at the backend: from here bytes are spliced.</summary>
    Spliced,

    /// <summary>LOGOUT, BYE, or an unrecoverable error: close.</summary>
    Closed,
}
