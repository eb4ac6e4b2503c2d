namespace Continuity.Mail.Smtp;

/// <summary>Keys of what the MX keeps in an SmtpServer session's <c>Properties</c>.</summary>
internal static class MxSessionKeys
{
    /// <summary>Recipients accepted in the current transaction (int), reset at MAIL.</summary>
    public const string RecipientCount = "continuity:rcpt-count";

    /// <summary>The client connection (<see cref="IdleTimeoutStream"/>), told when a MAIL command was accepted.</summary>
    public const string Connection = "continuity:connection";
}
