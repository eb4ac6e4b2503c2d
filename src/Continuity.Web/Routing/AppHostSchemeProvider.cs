using System.Collections.Frozen;
using Microsoft.AspNetCore.Authentication;

namespace Continuity.Web.Routing;

/// <summary>
/// On an app host every path is the app's, so the authentication middleware's request handlers (OpenIddict's
/// server and client, which look at every request for their endpoints: discovery, token, callbacks, …) are not
/// offered app-host requests. Besides keeping <c>/.well-known/*</c> and <c>/connect/*</c> of an app its own, this
/// takes their per-request cost (resolving and running each handler's pipeline) off the proxy's hot path.
/// Everything else is the framework's <see cref="AuthenticationSchemeProvider"/>.
/// </summary>
internal sealed class AppHostSchemeProvider(
    IOptions<AuthenticationOptions> options,
    IHttpContextAccessor http,
    IOptionsMonitor<ContinuityOptions> continuity) : AuthenticationSchemeProvider(options)
{
    private (ContinuityOptions Source, FrozenSet<string> Hosts)? _appHosts;

    public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
        http.HttpContext is { } context && IsAppHost(context.Request.Host.Host)
            ? Task.FromResult(Enumerable.Empty<AuthenticationScheme>())
            : base.GetRequestHandlerSchemesAsync();

    private bool IsAppHost(string host)
    {
        var current = continuity.CurrentValue;
        var known = _appHosts;
        if (known is not { } cached || !ReferenceEquals(cached.Source, current))
        {
            // Rebuilt when the configuration reloads (a new options instance).
            cached = (current, current.Tenants.Values.SelectMany(t => t.Hosts.Apps.Values).ToFrozenSet(StringComparer.OrdinalIgnoreCase));
            _appHosts = cached;
        }

        return cached.Hosts.Contains(host);
    }
}
