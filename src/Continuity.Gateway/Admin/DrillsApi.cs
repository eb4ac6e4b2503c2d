using Continuity.Gateway.Drills;

namespace Continuity.Gateway.Admin;

/// <summary>
/// Continuity drills: <c>POST /admin/api/tenants/{tenant}/drills</c> (<c>{"users": [...], "live": false}</c>, an
/// operator's action) starts one and answers 202 with its report (status <c>Running</c>) and where to read it;
/// <c>GET …/drills</c> lists past reports, newest first; <c>GET …/drills/{id}</c> reads one (any admin of the tenant).
/// </summary>
internal static class DrillsApi
{
    public static IEndpointRouteBuilder MapContinuityDrillsApi(this IEndpointRouteBuilder app)
    {
        var drills = app.MapAdminGroup("/tenants/{tenant}/drills");
        drills.MapPost("", Start);
        drills.MapGet("", List);
        drills.MapGet("/{id}", Get);
        return app;
    }

    private static async Task<IResult> Start(string tenant, HttpContext http, TenantDirectory tenants, DrillService drills, CancellationToken cancellationToken)
    {
        if (tenants.Find(tenant) is null)
        {
            return AdminRequests.NotFound($"No tenant '{tenant}'.");
        }

        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, DrillJsonContext.Default.DrillRequestBody);
        if (problem is not null)
        {
            return problem;
        }

        var report = await drills.StartAsync(http.User.Actor(), tenant, body!.Users ?? [], body.Live, cancellationToken);
        return Results.Json(report, DrillJsonContext.Default.DrillReport, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> List(string tenant, HttpContext http, TenantDirectory tenants, DrillStore store, int? count, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        return Results.Json(await store.ListAsync(tenant, Math.Clamp(count ?? 20, 1, DrillStore.Kept), cancellationToken), DrillJsonContext.Default.ListDrillReport);
    }

    private static async Task<IResult> Get(string tenant, string id, HttpContext http, TenantDirectory tenants, DrillStore store, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        return id.Length <= 32 && id.All(char.IsAsciiHexDigitLower) && await store.GetAsync(tenant, id, cancellationToken) is { } report
            ? Results.Json(report, DrillJsonContext.Default.DrillReport)
            : AdminRequests.NotFound($"No drill '{id}' in tenant '{tenant}'.");
    }
}
