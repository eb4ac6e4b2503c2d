using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.Users;

namespace Continuity.Gateway.Admin;

/// <summary>
/// The admin API under <c>/admin/api</c> (JSON; errors as problem+json): tenants and routes, the
/// failover switch, approvals, the user directory, signals and the audit log. Every endpoint needs
/// an admin API key; an admin sees and changes only their own tenant. Each handler binds the request's
/// <see cref="CancellationToken"/> (<c>RequestAborted</c>) and passes it down: a caller who hangs up stops the reads and
/// the retries; a change already sent to the store is finished and audited (see <c>FailoverService</c>).
/// </summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapContinuityAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup("");

        api.MapGet("/tenants", ListTenants);
        api.MapGet("/tenants/{tenant}/routes", GetRoutes);
        api.MapPost("/tenants/{tenant}/routes", ChangeRoute);
        api.MapGet("/tenants/{tenant}/users", ListUsers);
        api.MapPost("/tenants/{tenant}/users", ImportUsers);
        api.MapPost("/tenants/{tenant}/signals", RaiseSignal);
        api.MapGet("/approvals", ListApprovals);
        api.MapGet("/approvals/{id}", GetApproval);
        api.MapPost("/approvals/{id}/approve", Approve);
        api.MapPost("/approvals/{id}/reject", Reject);
        api.MapGet("/audit", ReadAudit);
        api.MapGet("/audit/verify", VerifyAudit);
        api.MapGet("/audit/head", AuditHead);
        return app;
    }

    private static IResult ListTenants(HttpContext http, TenantDirectory tenants, RouteTable table)
    {
        var actor = http.User.Actor();
        var snapshot = table.Current;
        return AdminRequests.Ok(tenants.Options.Tenants.Where(t => actor.CanRead(t.Key)).Select(t => new TenantView(
            t.Key,
            t.Value.DisplayName,
            t.Value.Domains,
            t.Value.DefaultProvider,
            snapshot.Resolve(t.Key, null),
            t.Value.ResolveSovereignProvider(),
            new TenantFailoverView(t.Value.Failover.Automatic.ToString().ToLowerInvariant(), t.Value.Failover.Approvals, t.Value.Failover.ApprovalTimeout, t.Value.Failover.ContinuityCopies),
            [.. t.Value.Providers.Select(p => new ProviderView(
                p.Key,
                p.Value.DisplayName,
                p.Value.Identity?.Authority,
                p.Value.Mail is null ? null : new ProviderMailView(p.Value.Mail.Inbound, p.Value.Mail.Imap, p.Value.Mail.Submission),
                p.Value.Apps))])).ToList(), AdminJsonContext.Default.ListTenantView);
    }

    private static IResult GetRoutes(string tenant, HttpContext http, RouteTable table, TenantDirectory tenants)
    {
        if (Authorize(tenant, http, tenants, change: false).Problem is { } denied)
        {
            return denied;
        }

        var snapshot = table.Current;
        if (!snapshot.Tenants.TryGetValue(tenant, out var routes))
        {
            // Before this node's first snapshot (store unreachable since start and no fail-static copy yet).
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Routes not loaded yet",
                detail: "This node has not loaded the routes yet (the state store is unreachable and there is no fail-static copy). Try again shortly.");
        }

        return AdminRequests.Ok(
            new RoutesView(tenant, snapshot.Version, snapshot.LoadedAt, routes.DefaultProvider,
                routes.UserOverrides.OrderBy(u => u.Key, StringComparer.Ordinal).ToDictionary(u => u.Key, u => u.Value)),
            AdminJsonContext.Default.RoutesView);
    }

    private static async Task<IResult> ChangeRoute(
        string tenant, HttpContext http, FailoverService failover, RouteSnapshotService snapshots, MailboxSyncStatus sync, CancellationToken cancellationToken)
    {
        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.RouteChangeBody);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.To))
        {
            return AdminRequests.BadRequest("'to' is required: the provider to route to.");
        }

        var user = string.IsNullOrWhiteSpace(body.User) ? null : body.User.Trim().ToLowerInvariant();
        var result = await failover.RequestAsync(http.User.Actor(), tenant, user, body.To, body.Reason ?? "", body.ExpectedVersion, cancellationToken);
        // How far behind the user's sovereign mailbox copy is: what the user will miss right after the switch.
        var lag = user is null ? null : (await sync.GetLagAsync(tenant, user, cancellationToken))?.TotalSeconds;
        if (result.Pending is { } pending)
        {
            return AdminRequests.Accepted(http, $"/admin/api/approvals/{pending.Id}",
                new RouteChangeAnswer("pending", pending, null, null, null, null, lag), AdminJsonContext.Default.RouteChangeAnswer);
        }

        var change = result.Change!;
        if (change.Status == RouteChangeStatus.Applied)
        {
            // The node that made the change uses it for its very next lookup, without waiting for pub/sub.
            await snapshots.RefreshAsync(cancellationToken: cancellationToken);
        }

        return AdminRequests.Ok(
            new RouteChangeAnswer(change.Status == RouteChangeStatus.Applied ? "applied" : "unchanged", null, change.Version, change.Before, change.After, change.AuditSeq, lag),
            AdminJsonContext.Default.RouteChangeAnswer);
    }

    private static async Task<IResult> ListUsers(string tenant, HttpContext http, UserDirectory users, TenantDirectory tenants, RouteTable table, CancellationToken cancellationToken)
    {
        if (Authorize(tenant, http, tenants, change: false).Problem is { } denied)
        {
            return denied;
        }

        var snapshot = table.Current;
        return AdminRequests.Ok([.. (await users.ListAsync(tenant, cancellationToken)).Select(u => new DirectoryUser(u, snapshot.Resolve(tenant, u)))], AdminJsonContext.Default.ListDirectoryUser);
    }

    private static async Task<IResult> ImportUsers(string tenant, HttpContext http, UserDirectory users, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var (options, denied) = Authorize(tenant, http, tenants, change: true);
        if (denied is not null)
        {
            return denied;
        }

        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.UserImportBody);
        if (problem is not null)
        {
            return problem;
        }

        var addresses = body!.Addresses ?? [];
        var wrong = addresses.Where(a => string.IsNullOrWhiteSpace(a) || !options!.OwnsAddress(a.Trim())).ToList();
        if (addresses.Count == 0 || wrong.Count > 0)
        {
            return AdminRequests.BadRequest(addresses.Count == 0
                ? "'addresses' must list at least one address."
                : $"Not addresses of tenant '{tenant}' ({string.Join(", ", options!.Domains)}): {string.Join(", ", wrong.Take(10))}. Nothing was imported.");
        }

        var added = await users.AddAsync(tenant, addresses.Select(a => a.Trim()), cancellationToken);
        return AdminRequests.Ok(new UserImportAnswer(added, addresses.Count), AdminJsonContext.Default.UserImportAnswer);
    }

    private static async Task<IResult> RaiseSignal(string tenant, HttpContext http, ICutoffSignals signals, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var (options, denied) = Authorize(tenant, http, tenants, change: true);
        if (denied is not null)
        {
            return denied;
        }

        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.SignalBody);
        if (problem is not null)
        {
            return problem;
        }

        if (options!.FindProvider(body!.Provider ?? "") is not { } provider)
        {
            return AdminRequests.BadRequest($"'provider' must be one of {string.Join(", ", options.Providers.Keys)}.");
        }

        if (string.IsNullOrWhiteSpace(body.Evidence) || body.Evidence.Length > 2000)
        {
            return AdminRequests.BadRequest("'evidence' is required (at most 2000 characters).");
        }

        if (body.User is { } user && !options.OwnsAddress(user))
        {
            return AdminRequests.BadRequest($"'{user}' is not an address of tenant '{tenant}'.");
        }

        // The source is who called, always: a label the caller sends only follows it, so no caller can pass a
        // signal off as another part's or another admin's.
        var source = "api:" + http.User.Actor().Name + (SignalLabel(body.Source) is { } label ? " via " + label : "");
        var outcome = await signals.RaiseAsync(new CutoffSignal(tenant, body.User, provider, source, body.Evidence), cancellationToken);
        return AdminRequests.Ok(new SignalAnswer(outcome.ToString().ToLowerInvariant()), AdminJsonContext.Default.SignalAnswer);
    }

    /// <summary>The caller's own label for a signal (a monitor's name): at most 64 visible ASCII characters, else none.</summary>
    private static string? SignalLabel(string? label) =>
        label is { Length: > 0 and <= 64 } && label.All(c => c is > ' ' and < (char)127) ? label : null;

    private static async Task<IResult> ListApprovals(HttpContext http, FailoverService failover, CancellationToken cancellationToken)
    {
        var actor = http.User.Actor();
        return AdminRequests.Ok([.. (await failover.ListPendingAsync(cancellationToken)).Where(r => actor.CanRead(r.Tenant))], AdminJsonContext.Default.ListApprovalRequest);
    }

    private static async Task<IResult> GetApproval(string id, HttpContext http, FailoverService failover, MailboxSyncStatus sync, CancellationToken cancellationToken)
    {
        var request = await failover.GetAsync(id, cancellationToken);
        if (request is null || !http.User.Actor().CanRead(request.Tenant))
        {
            return AdminRequests.NotFound($"No approval request '{id}'.");
        }

        var lag = request.User is null ? null : (await sync.GetLagAsync(request.Tenant, request.User, cancellationToken))?.TotalSeconds;
        return AdminRequests.Ok(new ApprovalView(request, lag), AdminJsonContext.Default.ApprovalView);
    }

    private static async Task<IResult> Approve(string id, HttpContext http, FailoverService failover, RouteSnapshotService snapshots, CancellationToken cancellationToken)
    {
        var request = await failover.ApproveAsync(http.User.Actor(), id, cancellationToken);
        if (request.Status == ApprovalStatus.Applied)
        {
            await snapshots.RefreshAsync(cancellationToken: cancellationToken);
        }

        return AdminRequests.Ok(request, AdminJsonContext.Default.ApprovalRequest);
    }

    private static async Task<IResult> Reject(string id, HttpContext http, FailoverService failover, CancellationToken cancellationToken)
    {
        string? reason = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.RejectBody);
            if (problem is not null)
            {
                return problem;
            }

            reason = body!.Reason;
        }

        return AdminRequests.Ok(await failover.RejectAsync(http.User.Actor(), id, reason, cancellationToken), AdminJsonContext.Default.ApprovalRequest);
    }

    /// <summary>Records of one tenant's chain (<c>?tenant=</c>, default the caller's own).</summary>
    private static async Task<IResult> ReadAudit(HttpContext http, AuditLog audit, string? tenant, long? from, int? count, CancellationToken cancellationToken)
    {
        if (AuditTenant(http, tenant) is (null, { } problem))
        {
            return problem;
        }

        var id = AuditTenant(http, tenant).Tenant!;
        var take = Math.Clamp(count ?? 100, 1, 1000);
        var records = from is { } start ? await audit.ReadAsync(id, start, take, cancellationToken) : await audit.TailAsync(id, take, cancellationToken);
        return AdminRequests.Ok([.. records], AdminJsonContext.Default.ListAuditRecord);
    }

    private static async Task<IResult> VerifyAudit(HttpContext http, AuditLog audit, string? tenant, CancellationToken cancellationToken) =>
        AuditTenant(http, tenant) is (string id, null) ? AdminRequests.Ok(await audit.VerifyAsync(id, cancellationToken), AdminJsonContext.Default.AuditVerification) : AuditTenant(http, tenant).Problem!;

    private static async Task<IResult> AuditHead(HttpContext http, AuditLog audit, string? tenant, CancellationToken cancellationToken) =>
        AuditTenant(http, tenant) is (string id, null) ? AdminRequests.Ok(await audit.HeadAsync(id, cancellationToken), AdminJsonContext.Default.AuditChainHead) : AuditTenant(http, tenant).Problem!;

    /// <summary>The tenant whose chain is asked for (default the caller's), when the caller may read it.</summary>
    private static (string? Tenant, IResult? Problem) AuditTenant(HttpContext http, string? tenant)
    {
        var actor = http.User.Actor();
        var id = string.IsNullOrWhiteSpace(tenant) ? actor.Tenant : tenant.Trim();
        return actor.CanRead(id) ? (id.ToLowerInvariant(), null) : (null, AdminRequests.Forbidden($"'{actor.Name}' is not an admin of tenant '{id}'."));
    }

    /// <summary>The tenant's options when it exists and the caller may read (or, with <paramref name="change"/>, change) it; else the problem to answer.</summary>
    private static (TenantOptions? Tenant, IResult? Problem) Authorize(string tenant, HttpContext http, TenantDirectory tenants, bool change) =>
        AdminRequests.DenyTenant(tenant, http, tenants, change) is { } problem ? (null, problem) : (tenants.Find(tenant), null);
}
