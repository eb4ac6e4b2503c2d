using System.Net;
using Continuity.Web.Assertions;
using Continuity.Web.Forwarding;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Continuity.Web.Proxy;

/// <summary>Per app route: Host kept or rewritten, the gateway's own X-Forwarded-*, the signed assertion.</summary>
internal sealed class AppTransformProvider(AssertionIssuer issuer, IOptionsMonitor<WebOptions> web) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Route.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.Tenant, out var tenant) || !metadata.TryGetValue(ProxyMetadata.App, out var app))
        {
            return;
        }

        var options = web.CurrentValue;
        var settings = options.App(app);
        context.UseDefaultForwarders = false;
        context.AddOriginalHost(settings.KeepHost);
        var trusted = options.TrustedProxies.Select(IPAddress.Parse).ToHashSet();
        context.RequestTransforms.Add(new ForwardedHeadersTransform(trusted));
        context.RequestTransforms.Add(new AssertionTransform(issuer, tenant, app, settings.AssertionHeader));
    }
}
