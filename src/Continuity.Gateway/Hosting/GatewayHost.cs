using Continuity.Core;
using Continuity.Core.Listeners;
using Continuity.Gateway.Admin;
using Continuity.Gateway.Console;
using Continuity.Gateway.Drills;
using Continuity.Gateway.Health;
using Continuity.Gateway.RateLimiting;
using Continuity.Gateway.Telemetry;
using Continuity.Identity;
using Continuity.Identity.Validation;
using Continuity.Mail;
using Continuity.Mail.Imap;
using Continuity.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Continuity.Gateway.Hosting;

/// <summary>The gateway web host: every part registered through its own entry point.</summary>
internal static class GatewayHost
{
    public static WebApplication Build(string[] args, string? configFile, string? dataDir)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the executable: the gateway starts the same from any directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        GatewayConfiguration.Apply(builder.Configuration, configFile, dataDir);
        // Command-line overrides (--urls, --Continuity:…) win over everything.
        builder.Configuration.AddCommandLine(args);
        // The data directory holds keys, the store's files and the route snapshot: 0700, made (or narrowed) before anything writes there.
        Core.IO.PrivateFiles.CreateDirectory(GatewayConfiguration.Bind(builder.Configuration).DataDir);
        if (ManagementListener.Urls(builder.Configuration) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        // Under systemd: Type=notify (READY=1 once listening, STOPPING=1 on SIGTERM) and journald's log format; elsewhere nothing.
        builder.Services.AddSystemd();
        builder.Logging.AddContinuityConsoleDefaults(builder.Configuration);

        // No "Server: Kestrel" on every answer (proxied ones included): nothing for a client to fingerprint, one header less.
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        builder.Services.AddContinuityGateway(builder.Configuration);

        var app = builder.Build();
        app.UseContinuityManagementListener();
        app.UseContinuityConsoleHeaders();
        // Then: a flood of logins, token requests or admin calls is refused before it costs authentication or the store.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapContinuityHealth();
        app.MapContinuityAdminApi();
        app.MapContinuityIdentity();
        app.MapContinuityIdentityAdmin();
        app.MapContinuityWeb();
        app.MapContinuityQueueApi();
        app.MapContinuitySyncApi();
        app.MapContinuityAppPasswordsApi();
        app.MapContinuityReadinessApi();
        app.MapContinuityDrillsApi();
        app.MapContinuityMailClientSetup();
        app.MapContinuityConsole();
        app.Lifetime.ApplicationStarted.Register(() => RegisterHttpListeners(app));
        return app;
    }

    public static IServiceCollection AddContinuityGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContinuityOptions>()
            .Bind(configuration.GetSection(ContinuityOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ContinuityOptions>, ContinuityOptionsValidator>();
        services.AddContinuityCore();
        services.AddContinuityIdentity(configuration);
        services.AddContinuityWeb(configuration);
        services.AddContinuityMail(configuration);
        services.AddContinuityMailboxSync();
        services.AddContinuityMailAccess();
        services.AddContinuityReadinessAndDrills();
        // OAUTHBEARER / XOAUTH2 at the mail proxy and bearer tokens at the admin API: the gateway's own access tokens.
        services.AddContinuityTokenValidation(configuration);
        services.AddSingleton<IBearerTokenValidator, GatewayBearerTokens>();

        services.AddSingleton<AdminKeyring>();
        // Two-person rule beyond route changes: an app password for another user, an account link import.
        services.AddSingleton<Continuity.Core.Approvals.IApprovalAction, AppPasswordApproval>();
        services.AddSingleton<Continuity.Core.Approvals.IApprovalAction, AccountImportApproval>();
        services.AddContinuityTelemetry(configuration);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(AdminAuthenticationHandler.SchemeName, null);
        // Admins come with an API key, signed in through the gateway's own login, or with an access token of the gateway's
        // own server with the admin scope (the address listed under Admins in each case; the role from there). Exactly one
        // of them per request: the policy's only scheme picks the one presented and refuses two (AdminAuthenticationHandler).
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy.Name, p => p
            .AddAuthenticationSchemes(AdminAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.RoleClaim));
        services.AddContinuityConsole();
        services.AddContinuityRateLimiting(configuration);
        services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(ManagementListener.AddPolicy);
        services.AddProblemDetails();
        // Enums as their names in every JSON answer ("Applied", not 1): stable for scripts and people.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    private static void RegisterHttpListeners(WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ListenerRegistry>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                var management = uri.Port == app.Services.GetRequiredService<IOptions<ContinuityOptions>>().Value.Listeners.Management;
                registry.Register(new ListenerInfo(management ? "management" : "http", uri.Scheme, uri.Host, uri.Port));
            }
        }

        // Metrics counts swaps from now on.
        _ = app.Services.GetRequiredService<GatewayMetrics>();
    }
}
