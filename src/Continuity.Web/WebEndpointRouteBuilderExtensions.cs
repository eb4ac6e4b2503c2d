using Continuity.Web.Errors;
using Continuity.Web.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Web;

public static class WebEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The app hosts: error pages around the proxy, then the user's route (cookie → route →
    /// cluster), then YARP's session affinity, load balancing and passive health checks.
    /// </summary>
    public static IEndpointRouteBuilder MapContinuityWeb(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routing = endpoints.ServiceProvider.GetRequiredService<UserRouting>();
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use((context, next) => ProxyErrorPages.RenderAfterAsync(context, () => next(context)));
            proxy.Use((context, next) => routing.InvokeAsync(context, () => next(context)));
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return endpoints;
    }
}
