namespace Continuity.Gateway.Readiness;

/// <summary>Outcome of one check. Only <see cref="Fail"/> makes a user not ready.</summary>
public enum CheckStatus
{
    /// <summary>Works as a failover needs it.</summary>
    Pass,

    /// <summary>Works, with something an admin should know (a user without app passwords, sync turned off).</summary>
    Warn,

    /// <summary>Would break in a failover now.</summary>
    Fail,

    /// <summary>Not applicable (no sovereign upstream configured, no test account).</summary>
    Skipped,
}

/// <summary>One check of a user's readiness: <c>identity</c>, <c>mailbox</c>, <c>sync</c> or <c>credentials</c>.</summary>
/// <param name="Name">The check's stable name.</param>
/// <param name="Status">Its outcome.</param>
/// <param name="Message">What was found, naming the cause ("sovereign mailbox: IMAP login as master user refused (AUTHENTICATIONFAILED)").</param>
public sealed record ReadinessCheck(string Name, CheckStatus Status, string Message);

/// <summary>"If we fail over now, what breaks?" for one user.</summary>
/// <param name="Provider">Where the user is routed now.</param>
/// <param name="Sovereign">The side a failover would move the user to.</param>
public sealed record UserReadiness(string Tenant, string User, string Provider, string Sovereign, bool Ready, IReadOnlyList<ReadinessCheck> Checks, DateTimeOffset CheckedAt)
{
    /// <summary>The failed checks' messages, one line: what an admin reads first.</summary>
    public string Summary => Ready ? "ready" : string.Join("; ", Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Message));
}

/// <summary>Readiness of every known user of a tenant.</summary>
public sealed record TenantReadiness(string Tenant, string Sovereign, int Users, int NotReady, IReadOnlyList<UserReadiness> Results, DateTimeOffset CheckedAt);
