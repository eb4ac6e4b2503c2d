namespace Continuity.Core.Credentials;

/// <summary>
/// Failed-login throttle. Failures are counted per (user, client address), per client address and per
/// user, each in a window that restarts with every failure. The pair and the address are slowed and then
/// refused; the user alone is only slowed, so an attacker cannot lock a user out from elsewhere.
/// </summary>
public sealed class LoginThrottleOptions
{
    /// <summary>How long failures are remembered after the last one (and so how long a refusal lasts). Default 15 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures of one (user, address) pair answered without delay. Default 3 (typos).</summary>
    public int FreeFailures { get; set; } = 3;

    /// <summary>First delay after the free failures; it doubles with each further failure. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay. Default 8 s (a mail client's own timeout is usually 30 s or more).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Failures of one (user, address) pair after which that pair is refused for the window. Default 10.</summary>
    public int PairLockout { get; set; } = 10;

    /// <summary>Failures from one address (any users) after which the address is refused for the window. Default 50.</summary>
    public int AddressLockout { get; set; } = 50;

    /// <summary>Failures for one user (any address) after which every attempt for that user is slowed. Default 20.</summary>
    public int UserSlowdown { get; set; } = 20;
}
