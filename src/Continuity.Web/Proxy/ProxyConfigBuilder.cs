using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Continuity.Web.Proxy;

/// <summary>
/// Tenant configuration → YARP: one route per (tenant, app) matched by the app's host name, pointing
/// at the default provider's cluster; one cluster per (tenant, app, provider) with a destination per
/// backend URL. The per-request step moves each request to the cluster of the user's provider.
/// </summary>
internal static class ProxyConfigBuilder
{
    /// <summary>
    /// YARP's panic mode (use every destination when none is healthy) would hide an outage behind
    /// timeouts; with this policy "all down" means no destination, a 503 page and a signal.
    /// </summary>
    public const string AvailableDestinations = "HealthyAndUnknown";

    public static AppProxyConfig Build(ContinuityOptions continuity, WebOptions web)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var (tenantId, tenant) in continuity.Tenants)
        {
            foreach (var (app, host) in tenant.Hosts.Apps)
            {
                var settings = web.App(app);
                if (tenant.FindProvider(tenant.DefaultProvider) is not { } defaultProvider)
                {
                    continue;
                }

                routes.Add(new RouteConfig
                {
                    RouteId = ProxyMetadata.RouteId(tenantId, app),
                    ClusterId = ProxyMetadata.ClusterId(tenantId, app, defaultProvider),
                    Match = new RouteMatch { Hosts = [host], Path = "/{**catch-all}" },
                    // Before the gateway's own endpoints (/login, /health/…, /admin/…): on an app host every path is the app's.
                    Order = -1,
                    Metadata = new Dictionary<string, string> { [ProxyMetadata.Tenant] = tenantId, [ProxyMetadata.App] = app },
                });

                foreach (var (providerName, provider) in tenant.Providers)
                {
                    if (provider.Apps.TryGetValue(app, out var urls) && urls.Count > 0)
                    {
                        clusters.Add(Cluster(tenantId, app, providerName, urls, settings));
                    }
                }
            }
        }

        return new AppProxyConfig(routes, clusters);
    }

    private static ClusterConfig Cluster(string tenant, string app, string provider, List<string> urls, WebAppOptions settings) => new()
    {
        ClusterId = ProxyMetadata.ClusterId(tenant, app, provider),
        Destinations = urls.Select((url, i) => (url, i)).ToDictionary(d => $"{provider}-{d.i}", d => new DestinationConfig { Address = d.url }),
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = settings.Timeout },
        HealthCheck = new HealthCheckConfig
        {
            AvailableDestinationsPolicy = AvailableDestinations,
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = settings.HealthInterval,
                Timeout = settings.HealthTimeout,
                Path = settings.HealthPath,
                Policy = ProxyMetadata.HealthPolicy,
            },
            Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate" },
        },
        Metadata = new Dictionary<string, string>
        {
            [ProxyMetadata.Tenant] = tenant,
            [ProxyMetadata.App] = app,
            [ProxyMetadata.Provider] = provider,
        },
    };
}
