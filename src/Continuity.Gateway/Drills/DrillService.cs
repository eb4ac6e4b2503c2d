using System.Collections.Concurrent;
using System.Security.Cryptography;
using Continuity.Core.Listeners;
using Continuity.Core.Routing;
using Continuity.Core.Users;
using Continuity.Identity.Accounts;
using Continuity.Mail.Drills;

namespace Continuity.Gateway.Drills;

/// <summary>
/// Continuity drills: for each named user, the readiness checks, then either synthetic checks (non-live: a probe
/// message through this node's MX into the sovereign mailbox, found there over IMAP and removed; a sign-in at the
/// sovereign upstream when the user is a test account of <c>Failover:DrillUsers</c>) or a real round trip (live: the
/// user routed to the sovereign side through <see cref="FailoverService"/>, each channel timed from the route change —
/// sign-in with the same <c>sub</c>, a message delivered, the IMAP session moved — then routed back, mail synced and
/// counted for duplicates, everything the drill made removed). A drill runs in the background on the node that was
/// asked; its report is rewritten in the store after every step and the drill is audited as one record at its end
/// (its route changes are audited as route changes, naming the drill).
/// </summary>
/// <remarks>
/// The two-person rule: a live drill changes routes without a second admin only for users the tenant listed under
/// <c>Failover:DrillUsers</c> (its standing approval for test accounts); with <c>Approvals: 1</c> an operator may
/// drill any known user, since they could move that user alone anyway. Otherwise it is refused before it starts.
/// </remarks>
internal sealed partial class DrillService(
    FailoverService failover,
    DrillStore reports,
    ReadinessService readiness,
    MailboxProbe mailboxes,
    DrillProbeRoutes probes,
    UpstreamSignIn signIn,
    AccountStore accounts,
    AppPasswordStore passwords,
    TenantDirectory tenants,
    UserDirectory users,
    RouteTable routes,
    RouteSnapshotService snapshots,
    MailboxSyncStatus sync,
    ListenerRegistry listeners,
    AuditLog audit,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DrillService> logger)
{
    /// <summary>Users in one drill: a drill is for a few test accounts, not a tenant-wide run (readiness is).</summary>
    public const int MaxUsers = 20;

    /// <summary>Longest wait for one channel (a message to arrive, a session to move): far beyond what a working failover takes.</summary>
    internal static readonly TimeSpan ChannelDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _liveUsers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Drills running on this node (tests wait for them; a stopping host lets them route back).</summary>
    public IReadOnlyCollection<Task> Running => [.. _running.Values];

    /// <summary>Checks the request, stores the report as running and starts the drill; the report is read back with <see cref="DrillStore.GetAsync"/>.</summary>
    /// <exception cref="FailoverException">Not allowed, unknown users, or a live drill of a user already in one.</exception>
    /// <remarks><paramref name="cancellationToken"/> (the request's) stops the checks and the first save; the drill itself runs until the host stops.</remarks>
    public async Task<DrillReport> StartAsync(AdminActor actor, string tenantId, IReadOnlyList<string> requested, bool live, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(requested);
        var tenant = tenants.Find(tenantId) ?? throw new FailoverException(FailoverErrorKind.NotFound, $"No tenant '{tenantId}'.");
        if (!actor.CanChange(tenantId))
        {
            throw new FailoverException(FailoverErrorKind.Forbidden, $"'{actor.Name}' may not run drills for tenant '{tenantId}': a drill sends mail into users' mailboxes (an operator's action).");
        }

        var list = requested.Select(u => (u ?? "").Trim().ToLowerInvariant()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count is 0 or > MaxUsers)
        {
            throw new FailoverException(FailoverErrorKind.Invalid, $"Name between 1 and {MaxUsers} users to drill ('users').");
        }

        foreach (var user in list)
        {
            if (!tenant.OwnsAddress(user))
            {
                throw new FailoverException(FailoverErrorKind.Invalid, $"'{user}' is not an address in tenant '{tenantId}' ({string.Join(", ", tenant.Domains)}).");
            }

            if (!tenant.Users.Contains(user, StringComparer.OrdinalIgnoreCase) && !await users.ContainsAsync(tenantId, user, cancellationToken).ConfigureAwait(false))
            {
                throw new FailoverException(FailoverErrorKind.Invalid, $"'{user}' is not a known user of tenant '{tenantId}'. Import it first.");
            }

            if (live && failover.LiveDrillRefusal(actor, tenantId, user) is { } refusal)
            {
                throw new FailoverException(FailoverErrorKind.Forbidden, refusal);
            }
        }

        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        if (live)
        {
            var claimed = new List<string>();
            foreach (var user in list)
            {
                if (!_liveUsers.TryAdd(user, id))
                {
                    claimed.ForEach(u => _liveUsers.TryRemove(u, out _));
                    throw new FailoverException(FailoverErrorKind.Conflict, $"'{user}' is in live drill {_liveUsers.GetValueOrDefault(user)} on this node right now.");
                }

                claimed.Add(user);
            }
        }

        var report = new DrillReport(id, tenantId, actor.Name, live, list, DrillStatus.Running, time.GetUtcNow(), null, []);
        try
        {
            await reports.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ReleaseLiveUsers(report);
            throw;
        }

        var run = new DrillRun(report, reports);
        // Not the request's token: the drill outlives the request that started it, until the host stops.
        _running[id] = Task.Run(() => RunAsync(run, actor, tenant, lifetime.ApplicationStopping), CancellationToken.None);
        Log.Started(logger, id, tenantId, actor.Name, live, list.Count);
        return report;
    }

    private async Task RunAsync(DrillRun run, AdminActor actor, TenantOptions tenant, CancellationToken stopping)
    {
        var report = run.Report;
        try
        {
            var sovereign = tenant.FindProvider(tenant.ResolveSovereignProvider()) ?? tenant.ResolveSovereignProvider();
            foreach (var user in report.Users)
            {
                var ready = await ReadinessStepsAsync(run, user, stopping).ConfigureAwait(false);
                if (report.Live)
                {
                    await LiveAsync(run, actor, tenant, user, sovereign, ready, stopping).ConfigureAwait(false);
                }
                else
                {
                    await ProbeMailAsync(run, tenant, user, sovereign, ready, stopping).ConfigureAwait(false);
                    await TestSignInAsync(run, tenant, user, sovereign, stopping).ConfigureAwait(false);
                }
            }

            await run.FinishAsync(time.GetUtcNow(), null).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Last resort: the report says the drill broke off, and why.
            Log.Crashed(logger, report.Id, ex);
            await run.AddAsync(new DrillStep("-", "drill", "aborted", CheckStatus.Fail, $"the drill broke off: {ex.GetType().Name}: {ex.Message}", time.GetUtcNow(), 0)).ConfigureAwait(false);
            await run.FinishAsync(time.GetUtcNow(), null).ConfigureAwait(false);
        }
        finally
        {
            ReleaseLiveUsers(report);
            await AuditAsync(run.Report).ConfigureAwait(false);
            _running.TryRemove(report.Id, out _);
        }
    }

    private async Task<bool> ReadinessStepsAsync(DrillRun run, string user, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        var result = await readiness.CheckUserAsync(run.Report.Tenant, user, cancellationToken).ConfigureAwait(false);
        var ms = time.GetElapsedTime(clock).TotalMilliseconds;
        foreach (var check in result.Checks)
        {
            await run.AddAsync(new DrillStep(user, "readiness", check.Name, check.Status, check.Message, started, ms)).ConfigureAwait(false);
        }

        return result.Ready;
    }

    private async Task AuditAsync(DrillReport report)
    {
        try
        {
            var failed = report.Failures.ToList();
            await audit.AppendAsync(new AuditEntry(report.RequestedBy, "drill.completed", report.Tenant,
                report.Users.Count == 1 ? report.Users[0] : null, null, null,
                report.Live ? "live continuity drill" : "continuity drill",
                $"drill {report.Id}: {report.Status.ToString().ToLowerInvariant()}; users {string.Join(", ", report.Users)}; {report.Steps.Count} steps, {failed.Count} failed"
                + (report.Live ? "; each user had a temporary app password for the drill's IMAP session, revoked at its end" : "")
                + (failed.Count > 0 ? "; first: " + failed[0] : ""))).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.AuditFailed(logger, report.Id, ex);
        }
    }

    private void ReleaseLiveUsers(DrillReport report)
    {
        foreach (var user in report.Users)
        {
            _liveUsers.TryRemove(new KeyValuePair<string, string>(user, report.Id));
        }
    }

    /// <summary>Waits, on the injected clock, until <paramref name="condition"/> holds or <see cref="ChannelDeadline"/> passes.</summary>
    private async Task<bool> PollAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var clock = time.GetTimestamp();
        using var timer = new PeriodicTimer(PollInterval, time);
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            if (time.GetElapsedTime(clock) > ChannelDeadline || !await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    /// <summary>The address to reach one of this node's listeners on (a wildcard bind is reached on loopback).</summary>
    private System.Net.IPEndPoint? Listener(string name, string protocol)
    {
        var listener = listeners.All.FirstOrDefault(l => l.Name == name && l.Protocol == protocol);
        if (listener is null || !System.Net.IPAddress.TryParse(listener.Address, out var address))
        {
            return null;
        }

        if (address.Equals(System.Net.IPAddress.Any))
        {
            address = System.Net.IPAddress.Loopback;
        }
        else if (address.Equals(System.Net.IPAddress.IPv6Any))
        {
            address = System.Net.IPAddress.IPv6Loopback;
        }

        return new System.Net.IPEndPoint(address, listener.Port);
    }

    private static string Seconds(double ms) => (ms / 1000).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// The report as it grows: every step is saved at once, so a running drill shows its progress. Steps are added one
    /// at a time (the drill awaits each; channels that run at once report after all of them end), so saves never race.
    /// </summary>
    private sealed class DrillRun(DrillReport report, DrillStore store)
    {
        public DrillReport Report { get; private set; } = report;

        public string Id => Report.Id;

        public async Task AddAsync(DrillStep step)
        {
            Report = Report with { Steps = [.. Report.Steps, step] };
            await SaveQuietlyAsync().ConfigureAwait(false);
        }

        public async Task FinishAsync(DateTimeOffset at, string? summary)
        {
            var failed = Report.Steps.Count(s => s.Status == CheckStatus.Fail);
            var warned = Report.Steps.Count(s => s.Status == CheckStatus.Warn);
            Report = Report with
            {
                Status = failed == 0 ? DrillStatus.Passed : DrillStatus.Failed,
                FinishedAt = at,
                Summary = summary ?? (failed == 0
                    ? $"passed: no step of {Report.Steps.Count} failed" + (warned > 0 ? $" ({warned} warning(s))" : "")
                    : $"failed: {failed} of {Report.Steps.Count} steps"),
            };
            await SaveQuietlyAsync().ConfigureAwait(false);
        }

        private async Task SaveQuietlyAsync()
        {
            try
            {
                await store.SaveAsync(Report).ConfigureAwait(false);
            }
            catch (Core.State.StateUnavailableException)
            {
                // The next step saves again; the audit record at the end carries the outcome as well.
            }
        }
    }
}
