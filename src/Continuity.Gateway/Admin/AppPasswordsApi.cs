using Continuity.Core.Users;

namespace Continuity.Gateway.Admin;

/// <summary>
/// App passwords for mail clients, issued by an admin for a user (the user's own page comes with the
/// web part). The password is returned once, at creation; only its hash is kept. Create and revoke are audited.
/// </summary>
internal static class AppPasswordsApi
{
    private const int MaxLabelLength = 100;

    public static IEndpointRouteBuilder MapContinuityAppPasswordsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup("/tenants/{tenant}/users/{user}/app-passwords");
        group.MapGet("", List);
        group.MapPost("", Create);
        group.MapDelete("/{id}", Revoke);
        return app;
    }

    private static async Task<IResult> List(string tenant, string user, HttpContext http, TenantDirectory tenants, UserDirectory users, AppPasswordStore passwords, CancellationToken cancellationToken)
    {
        if (await CheckAsync(tenant, user, http, tenants, users, change: false, cancellationToken) is { } denied)
        {
            return denied;
        }

        return AdminRequests.Ok([.. await passwords.ListAsync(user.ToLowerInvariant(), cancellationToken)], AdminJsonContext.Default.ListAppPassword);
    }

    private static async Task<IResult> Create(
        string tenant, string user, HttpContext http, TenantDirectory tenants, UserDirectory users, AppPasswordStore passwords, AuditLog audit, FailoverService failover,
        CancellationToken cancellationToken)
    {
        if (await CheckAsync(tenant, user, http, tenants, users, change: true, cancellationToken) is { } denied)
        {
            return denied;
        }

        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.AppPasswordBody);
        if (problem is not null)
        {
            return problem;
        }

        var label = body!.Label?.Trim() ?? "";
        if (label.Length is 0 or > MaxLabelLength)
        {
            return AdminRequests.BadRequest($"'label' is required (at most {MaxLabelLength} characters), e.g. \"Thunderbird on the office PC\".");
        }

        var address = user.ToLowerInvariant();
        var actor = http.User.Actor();
        if (tenants.Find(tenant)!.Failover.Approvals >= 2 && !string.Equals(address, actor.Name, StringComparison.OrdinalIgnoreCase))
        {
            return await CreatePendingAsync(http, tenant, address, label, actor, passwords, failover, cancellationToken);
        }

        // Audited first (a caller who hangs up may stop it up to here), then made.
        await audit.AppendAsync(new AuditEntry(actor.Name, "app_password.created", tenant, address, Reason: label), cancellationToken);
        var created = await passwords.CreateAsync(address, label, cancellationToken: CancellationToken.None);
        http.Response.Headers.Location = $"/admin/api/tenants/{tenant}/users/{address}/app-passwords/{created.Info.Id}";
        return Results.Json(
            new AppPasswordCreated(null, null, created.Info.Id, created.Info.Label, created.Info.CreatedAt, created.Secret, "Shown only now: give it to the user for their mail client."),
            AdminJsonContext.Default.AppPasswordCreated, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Two-person rule (issue 16, item 6): a password for another user opens their mailbox, so it is made unusable and
    /// waits for a second admin, like a route change. The requester sees it now (only once); it works after the approval.
    /// </summary>
    private static async Task<IResult> CreatePendingAsync(
        HttpContext http, string tenant, string address, string label, AdminActor actor, AppPasswordStore passwords, FailoverService failover, CancellationToken cancellationToken)
    {
        var created = await passwords.CreateAsync(address, label, pending: true, cancellationToken);
        ApprovalRequest request;
        try
        {
            request = await failover.RequestActionAsync(actor, tenant, address, AppPasswordApproval.KindName, $"app password '{label}' for {address}", created.Info.Id,
                cancellationToken: cancellationToken);
        }
        catch
        {
            // Also when the caller hung up: a pending password without its request would never be approved.
            await passwords.RevokeAsync(address, created.Info.Id, CancellationToken.None);
            throw;
        }

        return AdminRequests.Accepted(http, $"/admin/api/approvals/{request.Id}",
            new AppPasswordCreated("pending", request, created.Info.Id, created.Info.Label, created.Info.CreatedAt, created.Secret,
                $"Shown only now. It works once a second admin approves request {request.Id} (continuity approve {request.Id})."),
            AdminJsonContext.Default.AppPasswordCreated);
    }

    private static async Task<IResult> Revoke(
        string tenant, string user, string id, HttpContext http, TenantDirectory tenants, UserDirectory users, AppPasswordStore passwords, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await CheckAsync(tenant, user, http, tenants, users, change: true, cancellationToken) is { } denied)
        {
            return denied;
        }

        var address = user.ToLowerInvariant();
        if (!await passwords.RevokeAsync(address, id, cancellationToken))
        {
            return AdminRequests.NotFound($"No app password '{id}' for '{address}'.");
        }

        await AuditRevocationAsync(audit, http.User.Actor(), tenant, address, id);
        return AdminRequests.Ok(new ItemStatusAnswer(id, "revoked"), AdminJsonContext.Default.ItemStatusAnswer);
    }

    /// <summary>The audit record of a revocation (the admin API and the console write the same one, after revoking).</summary>
    internal static Task<AuditRecord> AuditRevocationAsync(AuditLog audit, AdminActor actor, string tenant, string address, string id) =>
        audit.AppendAsync(new AuditEntry(actor.Name, "app_password.revoked", tenant, address, Details: $"id {id}"));

    private static async Task<IResult?> CheckAsync(string tenant, string user, HttpContext http, TenantDirectory tenants, UserDirectory users, bool change, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants, change) is { } denied)
        {
            return denied;
        }

        var options = tenants.Find(tenant)!;
        var known = options.Users.Contains(user, StringComparer.OrdinalIgnoreCase) || await users.ContainsAsync(tenant, user, cancellationToken);
        return options.OwnsAddress(user) && known ? null : AdminRequests.BadRequest($"'{user}' is not a known user of tenant '{tenant}'.");
    }
}
