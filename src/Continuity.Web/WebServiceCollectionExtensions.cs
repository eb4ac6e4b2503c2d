using Continuity.Web.Assertions;
using Continuity.Web.Health;
using Continuity.Web.Proxy;
using Continuity.Web.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Continuity.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// The web gateway: YARP with routes and clusters from the tenants' apps, per-user routing,
    /// signed assertions and health reporting. Needs <c>AddContinuityCore()</c>,
    /// <c>AddContinuityIdentity()</c> and the bound <c>ContinuityOptions</c>.
    /// </summary>
    public static IServiceCollection AddContinuityWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateOnStartWith<WebOptions, WebOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AssertionIssuer>();
        services.TryAddSingleton<SessionCache>();
        services.AddHttpContextAccessor();
        services.AddAuthenticationCore();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, AppHostSchemeProvider>());
        services.TryAddSingleton<UserRouting>();
        services.TryAddSingleton<AppProxyConfigProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigProvider, AppProxyConfigProvider>(sp => sp.GetRequiredService<AppProxyConfigProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActiveHealthCheckPolicy, ProbeHealthPolicy>());
        services.AddReverseProxy()
            .AddTransforms<AppTransformProvider>()
            // No trace headers (traceparent, baggage) to backends: the gateway exports no traces, and the propagator
            // puts a diagnostics handler in front of every forwarded request. YARP's other defaults are already the
            // proxy's: pooled keep-alive connections, no connection limit per server, no decompression, no cookies.
            .ConfigureHttpClient((_, handler) => handler.ActivityHeadersPropagator = null);
        return services;
    }
}
