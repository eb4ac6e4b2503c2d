namespace Continuity.Core.Health;

/// <summary>What one probe of one backend saw: up with its banner, or down with the reason (never a secret).</summary>
public readonly record struct ProbeOutcome(bool Up, string Detail);
