using Continuity.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Continuity.Gateway.Console;

/// <summary>
/// The admin console at <c>/admin</c> on a tenant's login host: Razor Pages rendered on the server (no script, no CDN),
/// signed in through the gateway's own login (the session cookie), refused to anyone not listed under the tenant's
/// <c>Admins</c>. Each page is one <c>.cshtml</c> file under <c>Console/Pages</c> with an absolute <c>@page "/admin/…"</c>
/// route; <see cref="ConsoleAccessFilter"/> decides who may see and change, for every page at once.
/// </summary>
internal static class ConsoleServiceCollectionExtensions
{
    /// <summary>Authenticates with the login page's session cookie: an anonymous visit is sent to <c>/login</c> and back.</summary>
    public const string PolicyName = "continuity-console";

    public static IServiceCollection AddContinuityConsole(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Console/Pages";
            options.Conventions.AuthorizeFolder("/", PolicyName);
            options.Conventions.ConfigureFilter(new ConsoleAccessFilter());
        }).ConfigureApplicationPartManager(parts =>
        {
            // The pages are compiled into this assembly; a host whose entry assembly is another (a test host) finds them too.
            var assembly = typeof(ConsolePage).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, p => p
            .AddAuthenticationSchemes(IdentityDefaults.CookieScheme)
            .RequireAuthenticatedUser());
        return services;
    }

    public static IEndpointRouteBuilder MapContinuityConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleAssets.StylePath, ConsoleAssets.Style).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Security headers on every console answer (pages, refusals, the stylesheet): see <see cref="ConsoleHeaders"/>.</summary>
    public static IApplicationBuilder UseContinuityConsoleHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(ConsoleHeaders.Root, StringComparison.OrdinalIgnoreCase)
                && !http.Request.Path.StartsWithSegments("/admin/api", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.OnStarting(() =>
                {
                    ConsoleHeaders.Apply(http.Response);
                    return Task.CompletedTask;
                });
            }

            return next(http);
        });
}
