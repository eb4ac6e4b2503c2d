using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Continuity.Identity.Tenants;

/// <summary>
/// First in the pipeline: a request for a tenant's host is seen with the scheme and host of the
/// tenant's configured issuer, so every node (whatever port or scheme it listens on behind the load
/// balancer) builds the same issuer, discovery document and redirect URIs.
/// </summary>
internal sealed class IssuerHostStartupFilter(IssuerDirectory issuers) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (issuers.FindByHost(http.Request.Host.Host) is { } tenant)
            {
                http.Request.Scheme = tenant.Issuer.Scheme;
                http.Request.Host = tenant.Issuer.IsDefaultPort ? new HostString(tenant.Issuer.Host) : new HostString(tenant.Issuer.Host, tenant.Issuer.Port);
            }

            return nextMiddleware(http);
        });
        next(app);
    };
}
