namespace Continuity.Gateway.Admin;

/// <summary>The admin API's authorization policy: any authenticated admin; tenant and role checks are per endpoint.</summary>
internal static class AdminPolicy
{
    public const string Name = "continuity-admin";

    /// <summary>Where every admin endpoint lives.</summary>
    public const string Prefix = "/admin/api";

    /// <summary>
    /// A group of admin endpoints at <c>/admin/api{path}</c>, each needing an admin credential (<see cref="Name"/>). Every
    /// endpoint may reach the state store, so each answers an outage with 503 (and a refused failover with its status):
    /// <see cref="AdminRequests.AnswerStoreAndFailoverErrors"/>, never a 500.
    /// </summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string path) =>
        app.MapGroup(Prefix + path).RequireAuthorization(Name).AnswerStoreAndFailoverErrors();
}
