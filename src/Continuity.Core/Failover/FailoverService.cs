using Continuity.Core.Approvals;
using Continuity.Core.Audit;
using Continuity.Core.Routing;
using Continuity.Core.Users;

namespace Continuity.Core.Failover;

/// <summary>
/// The failover switch: route change requests from admins and signals, the two-person rule,
/// approvals, rejections and expiry. Every decision lands in the audit chain.
/// </summary>
/// <remarks>
/// A <see cref="CancellationToken"/> (an admin who hung up) stops a request up to its first write; what follows a
/// write (its audit record, the route change of a claimed approval) runs to the end, so nothing is left half-decided.
/// </remarks>
public sealed class FailoverService(
    IOptions<ContinuityOptions> options,
    RouteStore routes,
    ApprovalStore approvals,
    AuditLog audit,
    UserDirectory users,
    TimeProvider time,
    IEnumerable<IApprovalAction>? actions = null)
{
    private readonly Dictionary<string, IApprovalAction> _actions = (actions ?? []).ToDictionary(a => a.Kind, StringComparer.Ordinal);

    /// <summary>Longest reason kept; a reason is a sentence for the audit log, not a document.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// Asks to route <paramref name="user"/> (or the tenant) to <paramref name="to"/>. Applied at once
    /// when the tenant needs one approval; otherwise a pending request that another admin must approve.
    /// </summary>
    public async Task<FailoverResult> RequestAsync(
        AdminActor actor, string tenantId, string? user, string to, string reason, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (tenant, provider, address) = await ValidateAsync(tenantId, user, to, reason, cancellationToken).ConfigureAwait(false);
        if (!actor.CanChange(tenantId))
        {
            throw new FailoverException(FailoverErrorKind.Forbidden, $"'{actor.Name}' may not change routes of tenant '{tenantId}'.");
        }

        if (tenant.Failover.Approvals <= 1)
        {
            var change = await ApplyAsync(new RouteChange(tenantId, address, provider, actor.Name, reason.Trim(), expectedVersion), cancellationToken).ConfigureAwait(false);
            return new FailoverResult(change, null);
        }

        var pending = await CreatePendingAsync(tenantId, tenant, address, provider, reason.Trim(), actor.Name, [actor.Name], evidence: null, cancellationToken).ConfigureAwait(false);
        return new FailoverResult(null, pending);
    }

    /// <summary>
    /// Asks for a change of kind <paramref name="kind"/> (an <see cref="IApprovalAction"/>) about <paramref name="user"/>:
    /// a pending request that another admin must approve, the requester counting as the first approval. The caller
    /// decides that the tenant's two-person rule applies; <paramref name="summary"/> is the audit's reason. A
    /// <paramref name="largePayload"/> (a file) is stored before the request exists, so no approval can come before it.
    /// </summary>
    public async Task<ApprovalRequest> RequestActionAsync(
        AdminActor actor, string tenantId, string? user, string kind, string summary, string? payload, ReadOnlyMemory<byte>? largePayload = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!options.Value.Tenants.TryGetValue(tenantId, out var tenant))
        {
            throw new FailoverException(FailoverErrorKind.NotFound, $"No tenant '{tenantId}'.");
        }

        if (!actor.CanChange(tenantId))
        {
            throw new FailoverException(FailoverErrorKind.Forbidden, $"'{actor.Name}' may not change tenant '{tenantId}'.");
        }

        if (!_actions.ContainsKey(kind))
        {
            throw new InvalidOperationException($"No approval action of kind '{kind}' is registered.");
        }

        var now = time.GetUtcNow();
        var request = new ApprovalRequest(
            NewId(), tenantId, user, "", "", summary, actor.Name, now, now + tenant.Failover.ApprovalTimeout,
            Math.Max(2, tenant.Failover.Approvals), [actor.Name], ApprovalStatus.Pending, Kind: kind, Payload: payload);
        if (largePayload is { } file)
        {
            // Alone (no request names it) a payload is never read and expires: it may still be cancelled after it.
            await approvals.SavePayloadAsync(request.Id, file, request.ExpiresAt, now, cancellationToken).ConfigureAwait(false);
        }

        await approvals.CreateAsync(request, now, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry(actor.Name, "approval.requested", tenantId, user, null, null, summary, $"request {request.Id}; {kind}"), CancellationToken.None).ConfigureAwait(false);
        return request;
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not move <paramref name="user"/> in a live drill, or null when they may: an
    /// operator of the tenant; under the two-person rule only for a test user listed in <c>Failover:DrillUsers</c>
    /// (the tenant's standing approval of drills on that account), otherwise any known user.
    /// </summary>
    public string? LiveDrillRefusal(AdminActor actor, string tenantId, string user)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!options.Value.Tenants.TryGetValue(tenantId, out var tenant))
        {
            return $"No tenant '{tenantId}'.";
        }

        if (!actor.CanChange(tenantId))
        {
            return $"'{actor.Name}' may not change routes of tenant '{tenantId}': a live drill moves the user.";
        }

        if (tenant.Failover.Approvals > 1 && !tenant.Failover.DrillUsers.Contains(user, StringComparer.OrdinalIgnoreCase))
        {
            return $"Tenant '{tenantId}' needs two admins for a route change, and '{user}' is not a drill user: a live drill of them would be a failover " +
                "nobody approved. List test accounts under Continuity:Tenants:" + tenantId + ":Failover:DrillUsers, or run the drill without --live.";
        }

        return null;
    }

    /// <summary>
    /// A live drill's route change of one user (to the sovereign side, or back): checked by <see cref="LiveDrillRefusal"/>,
    /// applied at once (no pending request) and audited like any route change, with the drill named in its details.
    /// </summary>
    public async Task<RouteChangeResult> DrillChangeAsync(AdminActor actor, string tenantId, string user, string to, string drillId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, provider, address) = await ValidateAsync(tenantId, user, to, "continuity drill " + drillId, cancellationToken).ConfigureAwait(false);
        if (LiveDrillRefusal(actor, tenantId, address!) is { } refusal)
        {
            throw new FailoverException(FailoverErrorKind.Forbidden, refusal);
        }

        return await ApplyCoreAsync(new RouteChange(tenantId, address, provider, actor.Name, "continuity drill " + drillId,
            Details: $"live drill {drillId} requested by {actor.Name}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A suggestion raised by a cut-off signal: pending, needing the tenant's number of admin approvals.</summary>
    internal async Task<ApprovalRequest> SuggestAsync(
        string tenantId, string? user, string to, string reason, string requestedBy, string evidence, CancellationToken cancellationToken = default)
    {
        var tenant = options.Value.Tenants[tenantId];
        var existing = (await approvals.ListPendingAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => s.Request)
            .FirstOrDefault(r => r.Kind is null && r.Tenant == tenantId && string.Equals(r.User, user, StringComparison.OrdinalIgnoreCase) && r.To == to && r.ExpiresAt > time.GetUtcNow());
        return existing ?? await CreatePendingAsync(tenantId, tenant, user, to, reason, requestedBy, [], evidence, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApprovalRequest> ApproveAsync(AdminActor actor, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var stored = await LoadPendingAsync(actor, id, cancellationToken).ConfigureAwait(false);
        var request = stored.Request;
        if (request.ApprovedBy.Contains(actor.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw new FailoverException(FailoverErrorKind.Forbidden,
                string.Equals(request.RequestedBy, actor.Name, StringComparison.OrdinalIgnoreCase)
                    ? "You cannot approve your own request: a second admin must approve it."
                    : "You have already approved this request: another admin must approve it.");
        }

        var now = time.GetUtcNow();
        var approvedBy = request.ApprovedBy.Append(actor.Name).ToList();
        if (approvedBy.Count < request.RequiredApprovals)
        {
            var waiting = request with { ApprovedBy = approvedBy };
            await UpdateOrConflictAsync(stored, waiting, now, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(new AuditEntry(actor.Name, "approval.approved", request.Tenant, request.User, request.From, request.To, request.Reason, $"request {id}; waiting for {request.RequiredApprovals - approvedBy.Count} more"), CancellationToken.None).ConfigureAwait(false);
            return waiting;
        }

        // Claim the request first, so two approvers at once cannot both apply it. Once claimed it is applied to the end
        // (no token below): a claimed request that was never applied could not be approved again.
        var claimed = request with { ApprovedBy = approvedBy, Status = ApprovalStatus.Applied, DecidedBy = actor.Name, DecidedAt = now };
        await UpdateOrConflictAsync(stored, claimed, now, cancellationToken).ConfigureAwait(false);
        var claimedJson = System.Text.Json.JsonSerializer.Serialize(claimed, ApprovalStore.Json);
        try
        {
            if (request.Kind is { } kind)
            {
                var decision = await _actions[kind].ApplyAsync(claimed, approvedBy, CancellationToken.None).ConfigureAwait(false);
                var done = claimed with { Decision = decision };
                await approvals.TryUpdateAsync(new StoredApproval(claimed, claimedJson), done, now, CancellationToken.None).ConfigureAwait(false);
                return done;
            }

            var change = await routes.ChangeAsync(new RouteChange(request.Tenant, request.User, request.To, actor.Name, request.Reason,
                Details: $"request {id} by {request.RequestedBy}; approved by {string.Join(", ", approvedBy)}"), CancellationToken.None).ConfigureAwait(false);
            var applied = claimed with { AppliedVersion = change.Version, Decision = change.Status == RouteChangeStatus.Unchanged ? "already routed there" : "applied" };
            await approvals.TryUpdateAsync(new StoredApproval(claimed, claimedJson), applied, now, CancellationToken.None).ConfigureAwait(false);
            return applied;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failed = claimed with { Status = ApprovalStatus.Failed, Decision = ex.Message };
            await approvals.TryUpdateAsync(new StoredApproval(claimed, claimedJson), failed, now, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ApprovalRequest> RejectAsync(AdminActor actor, string id, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var stored = await LoadPendingAsync(actor, id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var rejected = stored.Request with { Status = ApprovalStatus.Rejected, DecidedBy = actor.Name, DecidedAt = now, Decision = reason?.Trim() };
        await UpdateOrConflictAsync(stored, rejected, now, cancellationToken).ConfigureAwait(false);
        var r = stored.Request;
        await CancelActionAsync(r).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry(actor.Name, "approval.rejected", r.Tenant, r.User, r.From, r.To, reason?.Trim(), $"request {id}"), CancellationToken.None).ConfigureAwait(false);
        return rejected;
    }

    /// <summary>Pending requests, after expiring those whose time is up.</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await ExpireDueAsync(cancellationToken).ConfigureAwait(false);
        return (await approvals.ListPendingAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Request).ToList();
    }

    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await approvals.GetAsync(id, cancellationToken).ConfigureAwait(false))?.Request;

    /// <summary>Marks every pending request past its expiry as expired (and audits it). Returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var stored in await approvals.ListPendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.Request.ExpiresAt > now)
            {
                continue;
            }

            var r = stored.Request;
            if (await approvals.TryUpdateAsync(stored, r with { Status = ApprovalStatus.Expired, DecidedAt = now, DecidedBy = "system" }, now, cancellationToken).ConfigureAwait(false))
            {
                expired++;
                await CancelActionAsync(r).ConfigureAwait(false);
                await audit.AppendAsync(new AuditEntry("system", "approval.expired", r.Tenant, r.User, r.From, r.To, r.Reason, $"request {r.Id}"), CancellationToken.None).ConfigureAwait(false);
            }
        }

        return expired;
    }

    internal Task<RouteChangeResult> ApplyAsync(RouteChange change, CancellationToken cancellationToken = default) => ApplyCoreAsync(change, cancellationToken);

    private Task CancelActionAsync(ApprovalRequest request) =>
        request.Kind is { } kind && _actions.TryGetValue(kind, out var action) ? action.CancelAsync(request, CancellationToken.None) : Task.CompletedTask;

    private async Task<RouteChangeResult> ApplyCoreAsync(RouteChange change, CancellationToken cancellationToken)
    {
        var result = await routes.ChangeAsync(change, cancellationToken).ConfigureAwait(false);
        if (result.Status == RouteChangeStatus.VersionConflict)
        {
            throw new FailoverException(FailoverErrorKind.Conflict,
                $"The routes are at version {result.Version}, not {change.ExpectedVersion}: someone changed them meanwhile. Read them again and retry.");
        }

        return result;
    }

    private async Task<ApprovalRequest> CreatePendingAsync(
        string tenantId, TenantOptions tenant, string? user, string to, string reason, string requestedBy, List<string> approvedBy, string? evidence,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = (await routes.LoadAsync(cancellationToken).ConfigureAwait(false)).Resolve(tenantId, user) ?? tenant.DefaultProvider;
        var request = new ApprovalRequest(
            NewId(), tenantId, user, from, to, reason, requestedBy, now, now + tenant.Failover.ApprovalTimeout,
            Math.Max(1, tenant.Failover.Approvals), approvedBy, ApprovalStatus.Pending, Evidence: evidence);
        await approvals.CreateAsync(request, now, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry(requestedBy, "approval.requested", tenantId, user, from, to, reason,
            evidence is null ? $"request {request.Id}" : $"request {request.Id}; evidence: {evidence}"), CancellationToken.None).ConfigureAwait(false);
        return request;
    }

    private async Task<StoredApproval> LoadPendingAsync(AdminActor actor, string id, CancellationToken cancellationToken)
    {
        var stored = await approvals.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new FailoverException(FailoverErrorKind.NotFound, $"No approval request '{id}'.");
        var request = stored.Request;
        if (!actor.CanChange(request.Tenant))
        {
            throw new FailoverException(FailoverErrorKind.Forbidden, $"'{actor.Name}' may not decide requests of tenant '{request.Tenant}'.");
        }

        if (request.Status != ApprovalStatus.Pending)
        {
            throw new FailoverException(FailoverErrorKind.Conflict, $"Request '{id}' is {request.Status.ToString().ToLowerInvariant()}, not pending.");
        }

        if (request.ExpiresAt <= time.GetUtcNow())
        {
            await ExpireDueAsync(cancellationToken).ConfigureAwait(false);
            throw new FailoverException(FailoverErrorKind.Conflict, $"Request '{id}' expired at {request.ExpiresAt:u}.");
        }

        return stored;
    }

    private async Task UpdateOrConflictAsync(StoredApproval stored, ApprovalRequest next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await approvals.TryUpdateAsync(stored, next, now, cancellationToken).ConfigureAwait(false))
        {
            throw new FailoverException(FailoverErrorKind.Conflict, $"Request '{stored.Request.Id}' was decided by someone else meanwhile.");
        }
    }

    private async Task<(TenantOptions Tenant, string Provider, string? User)> ValidateAsync(string tenantId, string? user, string to, string reason, CancellationToken cancellationToken)
    {
        if (!options.Value.Tenants.TryGetValue(tenantId, out var tenant))
        {
            throw new FailoverException(FailoverErrorKind.NotFound, $"No tenant '{tenantId}'.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new FailoverException(FailoverErrorKind.Invalid, "A reason is required: it goes into the audit log.");
        }

        if (reason.Length > MaxReasonLength)
        {
            throw new FailoverException(FailoverErrorKind.Invalid, $"The reason is longer than {MaxReasonLength} characters.");
        }

        var provider = tenant.FindProvider(to ?? "")
            ?? throw new FailoverException(FailoverErrorKind.Invalid, $"'{to}' is not a provider of tenant '{tenantId}' ({string.Join(", ", tenant.Providers.Keys)}).");

        if (user is null)
        {
            return (tenant, provider, null);
        }

        var address = user.Trim().ToLowerInvariant();
        if (!tenant.OwnsAddress(address))
        {
            throw new FailoverException(FailoverErrorKind.Invalid, $"'{user}' is not an address in tenant '{tenantId}' ({string.Join(", ", tenant.Domains)}).");
        }

        // Configured users are always known, even when the store lost its data and was not re-seeded yet.
        if (!tenant.Users.Contains(address, StringComparer.OrdinalIgnoreCase) && !await users.ContainsAsync(tenantId, address, cancellationToken).ConfigureAwait(false))
        {
            throw new FailoverException(FailoverErrorKind.Invalid, $"'{user}' is not a known user of tenant '{tenantId}'. Import it first.");
        }

        return (tenant, provider, address);
    }

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
}
