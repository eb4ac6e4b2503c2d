namespace Continuity.Mail.Proxy;

/// <summary>Timeouts of one splice (from <see cref="MailAccessOptions"/>).</summary>
internal readonly record struct SpliceLimits(TimeSpan Idle, TimeSpan Session);
