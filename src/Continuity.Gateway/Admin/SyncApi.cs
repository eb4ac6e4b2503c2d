namespace Continuity.Gateway.Admin;

/// <summary>Mailbox sync state per user (kept in the store: any node answers for every user) and "sync now".</summary>
internal static class SyncApi
{
    public static IEndpointRouteBuilder MapContinuitySyncApi(this IEndpointRouteBuilder app)
    {
        var sync = app.MapAdminGroup("/tenants/{tenant}/sync");
        sync.MapGet("", List);
        sync.MapGet("/{user}", Get);
        sync.MapPost("/{user}/run", RunNow);
        return app;
    }

    private static async Task<IResult> List(string tenant, HttpContext http, TenantDirectory tenants, MailboxSyncStatus status, TimeProvider time, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        var now = time.GetUtcNow();
        return AdminRequests.Ok([.. (await status.ListAsync(tenant, cancellationToken)).Select(s => View(s, status, now))], AdminJsonContext.Default.ListSyncStateView);
    }

    private static async Task<IResult> Get(string tenant, string user, HttpContext http, TenantDirectory tenants, MailboxSyncStatus status, TimeProvider time, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        return await status.GetAsync(tenant, user.ToLowerInvariant(), cancellationToken) is { } state
            ? AdminRequests.Ok(View(state, status, time.GetUtcNow()), AdminJsonContext.Default.SyncStateView)
            : AdminRequests.NotFound($"No sync state for '{user}' yet: the user has not been synced (is sync enabled for tenant '{tenant}'?).");
    }

    private static async Task<IResult> RunNow(string tenant, string user, HttpContext http, TenantDirectory tenants, MailboxSyncStatus status, TimeProvider time)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants, change: true) is { } denied)
        {
            return denied;
        }

        if (!tenants.Find(tenant)!.OwnsAddress(user))
        {
            return AdminRequests.BadRequest($"'{user}' is not an address of tenant '{tenant}'.");
        }

        var state = await status.SyncNowAsync(tenant, user.ToLowerInvariant(), http.RequestAborted);
        return state is null
            ? AdminRequests.Problem(StatusCodes.Status409Conflict, "Conflict", $"Another node is syncing '{user}' right now; try again shortly.")
            : AdminRequests.Ok(View(state, status, time.GetUtcNow()), AdminJsonContext.Default.SyncStateView);
    }

    private static SyncStateView View(UserSyncState s, MailboxSyncStatus status, DateTimeOffset now) => new(
        s.User,
        s.Lag(now)?.TotalSeconds,
        status.IsStale(s),
        s.LastRunStarted,
        s.LastSuccess,
        s.LastDirection,
        s.MessagesCopied,
        s.TotalCopied,
        s.FlagsUpdated,
        s.KeywordsDropped,
        s.TotalKeywordsDropped,
        s.LastError,
        s.Warnings,
        s.FailbackPending);
}
