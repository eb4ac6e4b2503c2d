using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Continuity.Web.Proxy;

/// <summary>One generation of routes and clusters; its token fires when the next one replaces it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "YARP may still hold the token after the generation is replaced; a cancelled source without handles needs no disposal.")]
internal sealed class AppProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
{
    private readonly CancellationTokenSource _replaced = new();

    public IReadOnlyList<RouteConfig> Routes { get; } = routes;

    public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

    public IChangeToken ChangeToken => new CancellationChangeToken(_replaced.Token);

    public void SignalReplaced() => _replaced.Cancel();
}
