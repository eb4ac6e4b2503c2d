namespace Continuity.Mail.Probes;

/// <summary>What one probe of one backend saw: up with its banner, or down with the reason (never a secret).</summary>
internal readonly record struct ProbeOutcome(bool Up, string Detail);
