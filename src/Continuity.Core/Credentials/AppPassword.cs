namespace Continuity.Core.Credentials;

/// <summary>What is known about one app password (never the password itself, never its hash).</summary>
/// <param name="Id">Public identifier: the first eight characters of the password, shown in lists so a user can tell them apart.</param>
/// <param name="User">Owner address, lower case.</param>
/// <param name="Label">What the user called it (e.g. "Thunderbird on the laptop").</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">Last successful login with it; null when never used.</param>
/// <param name="Pending">Made for another user while the two-person rule is on, and not approved yet: no login accepts it.</param>
public sealed record AppPassword(string Id, string User, string Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Pending = false);
