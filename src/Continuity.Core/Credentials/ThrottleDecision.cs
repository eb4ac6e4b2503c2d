namespace Continuity.Core.Credentials;

/// <summary>What the throttle says about a login attempt.</summary>
/// <param name="Refused">True: answer "try later" without checking the password.</param>
/// <param name="Delay">How long to wait before answering (a failure reply, after <see cref="LoginThrottle.RecordFailureAsync"/>).</param>
/// <param name="JustLocked">True on the failure that crossed a lockout threshold (audit it once).</param>
public readonly record struct ThrottleDecision(bool Refused, TimeSpan Delay, bool JustLocked = false)
{
    public static ThrottleDecision Allow => new(false, TimeSpan.Zero);
}
