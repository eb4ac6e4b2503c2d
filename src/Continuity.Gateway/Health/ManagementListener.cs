using System.Net;
using Continuity.Gateway.Admin;
using Microsoft.AspNetCore.Authorization;

namespace Continuity.Gateway.Health;

/// <summary>
/// The optional management listener (<c>Continuity:Listeners:Management</c>, on <c>ManagementAddress</c>, loopback by
/// default): an extra HTTP endpoint of the same host that serves only <c>/health/*</c> and <c>/metrics</c>, without
/// credentials. Everything else on it answers 404, so it can be opened to a monitoring network without opening the
/// login pages or the admin API there. A request belongs to it by the local port it arrived on, never by its Host header.
/// </summary>
internal static class ManagementListener
{
    /// <summary>Authorization policy of <c>/health/status</c> and <c>/metrics</c>: the management listener, or an admin credential.</summary>
    public const string PolicyName = "continuity-health";

    /// <summary>The <c>--urls</c> value with the management listener added, or null when there is none (nothing to change).</summary>
    public static string? Urls(IConfiguration configuration)
    {
        var listeners = Hosting.GatewayConfiguration.Bind(configuration).Listeners;
        if (listeners.Management <= 0 || !IPAddress.TryParse(listeners.ManagementAddress, out var address))
        {
            return null;
        }

        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var management = $"http://{host}:{listeners.Management.ToString(CultureInfo.InvariantCulture)}";
        // ASP.NET Core's own default when nothing names a listener.
        var urls = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured
            : configuration["http_ports"] is { Length: > 0 } ports ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"))
            : "http://localhost:5000";
        return urls + ";" + management;
    }

    public static bool IsManagement(HttpContext http, ListenerOptions listeners) =>
        listeners.Management > 0 && http.Connection.LocalPort == listeners.Management;

    /// <summary>On the management listener, anything but health and metrics is 404.</summary>
    public static IApplicationBuilder UseContinuityManagementListener(this IApplicationBuilder app)
    {
        var listeners = app.ApplicationServices.GetRequiredService<IOptions<ContinuityOptions>>().Value.Listeners;
        if (listeners.Management <= 0)
        {
            return app;
        }

        return app.Use((http, next) =>
        {
            if (IsManagement(http, listeners) && !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.Equals("/metrics"))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(http);
        });
    }

    /// <summary>The policy: a request on the management listener, or one authenticated as an admin (any role, any tenant).</summary>
    public static void AddPolicy(AuthorizationOptions options) =>
        options.AddPolicy(PolicyName, p => p
            .AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName)
            .RequireAssertion(context =>
                (context.Resource is HttpContext http && IsManagement(http, http.RequestServices.GetRequiredService<IOptions<ContinuityOptions>>().Value.Listeners))
                || context.User.HasClaim(c => c.Type == ApiKeyAuthenticationHandler.RoleClaim)));

    /// <summary>Which tenants the caller sees: all on the management listener, else the admin's own.</summary>
    public static Func<string, bool> Visible(HttpContext http, ListenerOptions listeners)
    {
        if (IsManagement(http, listeners))
        {
            return _ => true;
        }

        var actor = http.User.Actor();
        return actor.CanRead;
    }
}
