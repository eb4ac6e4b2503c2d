using Continuity.Gateway.Drills;

namespace Continuity.Gateway.Admin;

/// <summary>
/// <c>GET /admin/api/tenants/{tenant}/readiness[/{user}]</c>: "if we fail over now, what breaks?" for every known user
/// of the tenant, or one. Read-only (any admin of the tenant, viewers included); the tenant-wide answer also sets the
/// users-not-ready gauge.
/// </summary>
internal static class ReadinessApi
{
    public static IEndpointRouteBuilder MapContinuityReadinessApi(this IEndpointRouteBuilder app)
    {
        var readiness = app.MapAdminGroup("/tenants/{tenant}/readiness");
        readiness.MapGet("", Tenant);
        readiness.MapGet("/{user}", User);
        return app;
    }

    private static async Task<IResult> Tenant(string tenant, HttpContext http, TenantDirectory tenants, ReadinessService readiness)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        return Results.Json(await readiness.CheckTenantAsync(tenant, http.RequestAborted), DrillJsonContext.Default.TenantReadiness);
    }

    private static async Task<IResult> User(string tenant, string user, HttpContext http, TenantDirectory tenants, ReadinessService readiness)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        var address = user.Trim().ToLowerInvariant();
        if (!tenants.Find(tenant)!.OwnsAddress(address))
        {
            return AdminRequests.BadRequest($"'{user}' is not an address of tenant '{tenant}'.");
        }

        if (!(await readiness.UsersAsync(tenant, http.RequestAborted)).Contains(address, StringComparer.Ordinal))
        {
            return AdminRequests.NotFound($"'{user}' is not a known user of tenant '{tenant}'. Import it first.");
        }

        return Results.Json(await readiness.CheckUserAsync(tenant, address, http.RequestAborted), DrillJsonContext.Default.UserReadiness);
    }
}
