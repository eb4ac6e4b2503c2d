using Continuity.Core.Health;
using Continuity.Core.Routing;
using Continuity.Core.Users;
using Continuity.Identity.Accounts;
using Continuity.Identity.Configuration;
using Continuity.Identity.Probes;

namespace Continuity.Gateway.Readiness;

/// <summary>
/// "If we fail over now, what breaks?" per user and per tenant: gathers what the gateway knows (the sovereign
/// upstream's probe, the user's links, sync state, app passwords), logs in to the sovereign mailbox as a failover
/// would, and applies <see cref="ReadinessRules"/>. Read-only: no link is made, no route changes, no message is read.
/// </summary>
internal sealed class ReadinessService(
    TenantDirectory tenants,
    UserDirectory users,
    RouteTable routes,
    BackendHealthRegistry health,
    AccountStore accounts,
    IOptions<IdentityOptions> identity,
    MailboxSyncStatus sync,
    IOptions<MailboxSyncOptions> syncOptions,
    AppPasswordStore passwords,
    MailboxProbe mailbox,
    ReadinessMetrics metrics,
    TimeProvider time)
{
    /// <summary>Users checked at once in a tenant-wide check (each opens one IMAP session to the sovereign side).</summary>
    private const int MaxParallel = 4;

    /// <summary>Every known user of the tenant (configured and imported), sorted.</summary>
    public async Task<IReadOnlyList<string>> UsersAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = tenants.Find(tenantId) ?? throw new ArgumentException($"No tenant '{tenantId}'.", nameof(tenantId));
        var known = await users.ListAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return [.. tenant.Users.Concat(known).Select(u => u.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public async Task<TenantReadiness> CheckTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = tenants.Find(tenantId) ?? throw new ArgumentException($"No tenant '{tenantId}'.", nameof(tenantId));
        var all = await UsersAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var results = new UserReadiness[all.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, all.Count), new ParallelOptions { MaxDegreeOfParallelism = MaxParallel, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await CheckUserAsync(tenantId, all[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        var readiness = new TenantReadiness(tenantId, tenant.FindProvider(tenant.ResolveSovereignProvider()) ?? tenant.ResolveSovereignProvider(),
            results.Length, results.Count(r => !r.Ready), results, time.GetUtcNow());
        metrics.Record(readiness);
        return readiness;
    }

    public async Task<UserReadiness> CheckUserAsync(string tenantId, string user, CancellationToken cancellationToken)
    {
        var tenant = tenants.Find(tenantId) ?? throw new ArgumentException($"No tenant '{tenantId}'.", nameof(tenantId));
        user = user.Trim().ToLowerInvariant();
        var sovereign = tenant.FindProvider(tenant.ResolveSovereignProvider()) ?? tenant.ResolveSovereignProvider();
        var current = routes.Resolve(tenantId, user) ?? tenant.DefaultProvider;

        var identityCheck = CheckIdentityAsync(tenantId, tenant, sovereign, user, cancellationToken);
        var mailboxCheck = mailbox.CheckLoginAsync(tenantId, sovereign, user, cancellationToken);
        var syncState = sync.GetAsync(tenantId, user, cancellationToken);
        var appPasswords = passwords.ListAsync(user, cancellationToken);
        await Task.WhenAll(identityCheck, mailboxCheck, syncState, appPasswords).ConfigureAwait(false);

        var mailboxResult = await mailboxCheck.ConfigureAwait(false);
        var checks = new List<ReadinessCheck>
        {
            await identityCheck.ConfigureAwait(false),
            mailboxResult with { Message = "sovereign mailbox: " + mailboxResult.Message },
            ReadinessRules.CheckSync(syncOptions.Value.Tenants.TryGetValue(tenantId, out var s) && s.Enabled, await syncState.ConfigureAwait(false), sync.MaxLag, time.GetUtcNow()),
            ReadinessRules.CheckCredentials(await appPasswords.ConfigureAwait(false)),
        };
        return new UserReadiness(tenantId, user, current, sovereign, ReadinessRules.IsReady(checks), checks, time.GetUtcNow());
    }

    private async Task<ReadinessCheck> CheckIdentityAsync(string tenantId, TenantOptions tenant, string sovereign, string user, CancellationToken cancellationToken)
    {
        var upstream = tenant.Providers[sovereign].Identity;
        var probe = health.All.FirstOrDefault(r => string.Equals(r.Tenant, tenantId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.Provider, sovereign, StringComparison.OrdinalIgnoreCase) && r.Kind == UpstreamProbeService.Kind);
        var linked = false;
        if (upstream is not null && await accounts.FindByEmailAsync(tenantId, user, cancellationToken).ConfigureAwait(false) is { } account)
        {
            linked = (await accounts.ListLinksAsync(tenantId, account.Id, cancellationToken).ConfigureAwait(false))
                .Any(l => string.Equals(l.Provider, sovereign, StringComparison.OrdinalIgnoreCase));
        }

        var trusted = identity.Value.Tenants.GetValueOrDefault(tenantId)?.TrustedProviders is not { } list || list.Contains(sovereign, StringComparer.OrdinalIgnoreCase);
        return ReadinessRules.CheckIdentity(new ReadinessRules.IdentityFacts(sovereign, upstream is not null, probe, linked, trusted, upstream?.Profile == UpstreamProfile.Entra));
    }
}
