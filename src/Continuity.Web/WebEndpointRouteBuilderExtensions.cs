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
    /// The proxy endpoints are short-circuited: they run as soon as routing matches them, without the
    /// authentication and authorization middleware of the gateway's own endpoints. An app request
    /// checks its session itself (<see cref="UserRouting"/>, with the cookie check cached), and its routes
    /// carry no authorization policy; running the middleware anyway (the default scheme, the
    /// request handlers) cost every proxied request for nothing.
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
        }).ShortCircuit();
        return endpoints;
    }
}
