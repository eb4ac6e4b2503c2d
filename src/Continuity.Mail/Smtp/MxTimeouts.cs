namespace Continuity.Mail.Smtp;

/// <summary>The MX's read timeouts: before the client's first accepted MAIL command, and after it.</summary>
internal sealed record MxTimeouts(TimeSpan BeforeMail, TimeSpan Idle);
