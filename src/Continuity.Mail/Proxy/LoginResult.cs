namespace Continuity.Mail.Proxy;

/// <summary>What a login attempt came to.</summary>
internal enum LoginResult
{
    /// <summary>Right credentials; <see cref="LoginOutcome.Account"/> says who logged in and which provider serves them now.</summary>
    Success,

    /// <summary>Wrong credentials (the throttle delay was already served).</summary>
    Failed,

    /// <summary>Too many failures: refused without checking.</summary>
    Throttled,

    /// <summary>The state store (or the user's route) is unavailable: try later.</summary>
    Unavailable,
}
