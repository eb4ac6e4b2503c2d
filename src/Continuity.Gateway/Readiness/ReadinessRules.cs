using Continuity.Core.Health;

namespace Continuity.Gateway.Readiness;

/// <summary>
/// The readiness rules, as pure functions of what was found (probe results, links, sync state, app passwords), so
/// each rule is tested on its own. <see cref="ReadinessService"/> gathers the facts; the mailbox login is a live check
/// there.
/// </summary>
internal static class ReadinessRules
{
    public const string Identity = "identity";
    public const string Mailbox = "mailbox";
    public const string Sync = "sync";
    public const string Credentials = "credentials";

    /// <summary>What is known about the user at the sovereign identity upstream.</summary>
    /// <param name="Configured">The sovereign provider has an identity upstream.</param>
    /// <param name="Probe">Its latest probe on this node (null: not probed yet).</param>
    /// <param name="Linked">The user's account has a link to that upstream.</param>
    /// <param name="Trusted">The provider may create links from a verified address for this tenant.</param>
    /// <param name="EntraProfile">The upstream is Entra-shaped: links by its own directory name, not <c>email_verified</c>.</param>
    public sealed record IdentityFacts(string Provider, bool Configured, BackendProbeResult? Probe, bool Linked, bool Trusted, bool EntraProfile);

    public static ReadinessCheck CheckIdentity(IdentityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var who = $"sovereign identity ({facts.Provider})";
        if (!facts.Configured)
        {
            return new(Identity, CheckStatus.Fail, $"{who}: no identity upstream configured (Providers:{facts.Provider}:Identity): nobody can sign in after failover");
        }

        if (facts.Probe is { Up: false } down)
        {
            var since = down.DownSince is { } d ? " since " + d.ToString("u", CultureInfo.InvariantCulture) : "";
            return new(Identity, CheckStatus.Fail, $"{who}: upstream unreachable{since} ({down.Detail})");
        }

        var probe = facts.Probe is null ? "not probed yet" : "reachable";
        if (facts.Linked)
        {
            return new(Identity, CheckStatus.Pass, $"{who}: {probe}; user linked there");
        }

        if (!facts.Trusted)
        {
            return new(Identity, CheckStatus.Fail,
                $"{who}: {probe}; user not linked there and the provider may not link by address (Identity:Tenants:…:TrustedProviders): import the link (continuity accounts import)");
        }

        return new(Identity, facts.Probe is null ? CheckStatus.Warn : CheckStatus.Pass,
            $"{who}: {probe}; user not linked yet, links at first sign-in from a {(facts.EntraProfile ? "directory name (preferred_username)" : "verified email")} in the tenant's domains");
    }

    /// <param name="enabled">Mailbox sync is on for the tenant.</param>
    /// <param name="state">The user's sync state (null: never synced).</param>
    public static ReadinessCheck CheckSync(bool enabled, UserSyncState? state, TimeSpan maxLag, DateTimeOffset now)
    {
        if (!enabled)
        {
            return new(Sync, CheckStatus.Warn, "mailbox sync: off for this tenant (Mail:Sync:Tenants): after failover the sovereign mailbox holds only mail that arrives from then on");
        }

        if (state is null)
        {
            return new(Sync, CheckStatus.Fail, "mailbox sync: the user was never synced: the sovereign mailbox would start empty");
        }

        if (state.LastError is { } error)
        {
            return new(Sync, CheckStatus.Fail, $"mailbox sync: the last run failed ({error})");
        }

        var lag = state.Lag(now);
        if (lag is not { } behind)
        {
            return new(Sync, CheckStatus.Fail, "mailbox sync: no run has finished yet: the sovereign mailbox would start empty");
        }

        if (behind > maxLag)
        {
            return new(Sync, CheckStatus.Fail, string.Create(CultureInfo.InvariantCulture,
                $"mailbox sync: {behind.TotalSeconds:0} s behind, more than MaxLag {maxLag.TotalSeconds:0} s: mail of that time would be missing after failover"));
        }

        var warnings = state.Warnings.Count > 0 ? $"; {state.Warnings.Count} message(s) not copied whole" : "";
        return new(Sync, warnings.Length > 0 ? CheckStatus.Warn : CheckStatus.Pass,
            string.Create(CultureInfo.InvariantCulture, $"mailbox sync: {behind.TotalSeconds:0} s behind (MaxLag {maxLag.TotalSeconds:0} s), last run without errors{warnings}"));
    }

    /// <summary>
    /// The gateway checks only its own credentials (app passwords, its own access tokens), so those keep working after
    /// failover; a client that signs in at the provider itself with the provider's password stops. A user with no
    /// usable app password either reads mail only on the web or has a client pointed at the provider.
    /// </summary>
    public static ReadinessCheck CheckCredentials(IReadOnlyList<AppPassword> passwords)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        var active = passwords.Where(p => !p.Pending).ToList();
        if (active.Count == 0)
        {
            return new(Credentials, CheckStatus.Warn, passwords.Count > 0
                ? "mail clients: the only app password still waits for a second admin: a mail client that signs in at the provider with its password stops after failover"
                : "mail clients: no app password: a mail client that signs in at the provider with its password stops after failover (webmail and OAUTHBEARER through the gateway keep working)");
        }

        var used = active.Where(p => p.LastUsedAt is not null).ToList();
        if (used.Count == 0)
        {
            return new(Credentials, CheckStatus.Warn,
                $"mail clients: {active.Count} app password(s), none used yet: the user's clients may still sign in at the provider with its password");
        }

        var last = used.Max(p => p.LastUsedAt!.Value);
        return new(Credentials, CheckStatus.Pass, string.Create(CultureInfo.InvariantCulture,
            $"mail clients: {used.Count} app password(s) in use through the gateway (last {last:u}): they keep working after failover"));
    }

    /// <summary>Ready unless a check failed.</summary>
    public static bool IsReady(IEnumerable<ReadinessCheck> checks) => checks.All(c => c.Status != CheckStatus.Fail);
}
