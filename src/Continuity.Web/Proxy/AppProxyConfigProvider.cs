using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Continuity.Web.Proxy;

/// <summary>
/// Feeds YARP the routes and clusters built from configuration, and a new generation whenever the
/// tenants or <c>Continuity:Web</c> reload (the old generation's change token fires).
/// </summary>
internal sealed partial class AppProxyConfigProvider : IProxyConfigProvider, IDisposable
{
    private readonly IOptionsMonitor<ContinuityOptions> _continuity;
    private readonly IOptionsMonitor<WebOptions> _web;
    private readonly ILogger<AppProxyConfigProvider> _logger;
    private readonly IDisposable?[] _subscriptions;
    private readonly Lock _gate = new();
    private AppProxyConfig _current;

    public AppProxyConfigProvider(IOptionsMonitor<ContinuityOptions> continuity, IOptionsMonitor<WebOptions> web, ILogger<AppProxyConfigProvider> logger)
    {
        _continuity = continuity;
        _web = web;
        _logger = logger;
        _current = ProxyConfigBuilder.Build(continuity.CurrentValue, web.CurrentValue);
        Log.Built(logger, _current.Routes.Count, _current.Clusters.Count);
        _subscriptions = [continuity.OnChange(_ => Rebuild()), web.OnChange(_ => Rebuild())];
    }

    public IProxyConfig GetConfig() => Volatile.Read(ref _current);

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription?.Dispose();
        }
    }

    private void Rebuild()
    {
        AppProxyConfig previous;
        lock (_gate)
        {
            var next = ProxyConfigBuilder.Build(_continuity.CurrentValue, _web.CurrentValue);
            previous = Interlocked.Exchange(ref _current, next);
            Log.Built(_logger, next.Routes.Count, next.Clusters.Count);
        }

        previous.SignalReplaced();
    }
}
