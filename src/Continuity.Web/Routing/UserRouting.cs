using Continuity.Core.Routing;
using Continuity.Identity;
using Continuity.Identity.AppSessions;
using Continuity.Identity.Configuration;
using Continuity.Web.Errors;
using Continuity.Web.Proxy;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;

namespace Continuity.Web.Routing;

/// <summary>
/// The per-request step, before session affinity and load balancing: who is this (the gateway's
/// session cookie), where are they routed now (the in-memory route snapshot), and which cluster is
/// that (<c>ReassignProxyRequest</c>). A request keeps the cluster it started with, so a route change
/// affects the next request only.
/// </summary>
internal sealed partial class UserRouting(
    RouteTable routes,
    IProxyStateLookup proxyState,
    SessionCache sessions,
    IOptionsMonitor<ContinuityOptions> continuity,
    IOptionsMonitor<WebOptions> web,
    IOptionsMonitor<IdentityOptions> identity,
    ILogger<UserRouting> logger)
{
    public const string EmailClaim = "email";

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var feature = context.GetReverseProxyFeature();
        var metadata = feature.Route.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.Tenant, out var tenantId) || !metadata.TryGetValue(ProxyMetadata.App, out var app)
            || !continuity.CurrentValue.Tenants.TryGetValue(tenantId, out var tenant))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        string? user = null;
        if (!IsPublic(context.Request.Path, web.CurrentValue.App(app)))
        {
            var principal = await sessions.AuthenticateAsync(context).ConfigureAwait(false);
            if (principal?.FindFirst(EmailClaim)?.Value is not { Length: > 0 } email)
            {
                await ChallengeAsync(context, tenantId, tenant).ConfigureAwait(false);
                return;
            }

            if (!string.Equals(principal.FindFirst(IdentityDefaults.TenantClaim)?.Value, tenantId, StringComparison.OrdinalIgnoreCase))
            {
                await ProxyErrorPages.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "This application belongs to another organisation.").ConfigureAwait(false);
                return;
            }

            context.User = principal;
            user = email.ToLowerInvariant();
        }

        var provider = routes.Resolve(tenantId, user) ?? tenant.DefaultProvider;
        var clusterId = ProxyMetadata.ClusterId(tenantId, app, tenant.FindProvider(provider) ?? provider);
        if (!string.Equals(feature.Cluster.Config.ClusterId, clusterId, StringComparison.Ordinal))
        {
            if (!proxyState.TryGetCluster(clusterId, out var cluster))
            {
                Log.NoCluster(logger, tenantId, app, provider);
                await ProxyErrorPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                    "This application is not available at your provider.").ConfigureAwait(false);
                return;
            }

            context.ReassignProxyRequest(cluster);
        }

        await next().ConfigureAwait(false);
    }

    private static bool IsPublic(PathString path, WebAppOptions app)
    {
        foreach (var prefix in app.PublicPaths)
        {
            if (prefix == "/" || path.StartsWithSegments(prefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private Task ChallengeAsync(HttpContext context, string tenantId, TenantOptions tenant)
    {
        var request = context.Request;
        string? target = null;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            var settings = identity.CurrentValue;
            var binding = AppSessionBinding.Bind(context, secure: request.IsHttps || !settings.AllowInsecureHttp);
            target = LoginRedirect.For(tenantId, tenant, settings, request, binding);
        }

        if (target is null)
        {
            // Not a page a browser can be sent away from (a POST, an XHR): say so, plainly.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }
}
