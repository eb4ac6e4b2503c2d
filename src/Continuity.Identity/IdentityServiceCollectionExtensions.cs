using Continuity.Identity.AdminSignIn;
using Continuity.Identity.AppSessions;
using Continuity.Identity.Cutoff;
using Continuity.Identity.Federation;
using Continuity.Identity.KeyProtection;
using Continuity.Identity.Keys;
using Continuity.Identity.Probes;
using Continuity.Identity.Stores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Server;

namespace Continuity.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// The gateway's OIDC provider (OpenIddict server, stores on the state store), the upstream
    /// federation (OpenIddict client, one registration per tenant provider), account links and
    /// cut-off detection. Needs <c>AddContinuityCore()</c> and the bound <c>ContinuityOptions</c>.
    /// </summary>
    public static IServiceCollection AddContinuityIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(IdentityOptions.SectionName);
        services.AddOptions<IdentityOptions>().Bind(section).ValidateOnStartWith<IdentityOptions, IdentityOptionsValidator>();
        // Read once here for what OpenIddict needs at registration time; the validator reports problems at start.
        var settings = section.Get<IdentityOptions>() ?? new IdentityOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Core.Metrics.ContinuityMetrics>();
        services.AddHttpContextAccessor();
        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<IssuerDirectory>();
        services.TryAddSingleton<ApplicationCatalog>();
        services.TryAddSingleton(sp => new OidcKeys(sp.GetRequiredService<StateStore>().Keys));
        services.TryAddSingleton<VersionedEntries>();
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<AccountLinker>();
        services.TryAddSingleton<AccountImporter>();
        services.TryAddSingleton<AccountRevoker>();
        services.TryAddSingleton<SessionRevocations>();
        services.TryAddSingleton<SessionValidation>();
        services.TryAddSingleton<CutoffClassifier>();
        services.TryAddSingleton<CutoffReporter>();
        services.TryAddSingleton<FrontchannelHints>();
        services.TryAddSingleton<UpstreamAvailability>();
        services.TryAddSingleton<AppSessionTickets>();
        services.TryAddSingleton<SessionEnds>();
        services.TryAddSingleton<GatewaySessionEvents>();
        services.AddHttpClient(UpstreamProbeService.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan) // bounded by Probes:Timeout on the injected clock
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.TryAddSingleton<UpstreamProbeService>();
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamProbeService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, IssuerHostStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictClientOptions>, ConfigureKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictClientOptions>, UpstreamRegistrations>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureTime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictClientOptions>, ConfigureTime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddict.Core.OpenIddictCoreOptions>, ConfigureTime>());

        ConfigureKeyProtection.UseCertificate(services.AddDataProtection().SetApplicationName("continuity"), configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>, SharedDataProtection>());
        // Encrypted at rest: the keys in the store sign every session cookie and sign-in ticket.
        services.TryAddSingleton<DataProtectionKey>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>, ConfigureKeyProtection>());
        services.AddAuthorization();
        // The end-session confirmation form (no id_token_hint: the user is asked, and only the form's POST signs out).
        services.AddAntiforgery();
        services.AddAuthentication().AddCookie(IdentityDefaults.CookieScheme, cookie =>
        {
            cookie.Cookie.Name = settings.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = settings.AllowInsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = settings.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = IdentityDefaults.LoginPath;
            // An admin's revocation or the user's sign-out (on any host) ends the session on every node.
            cookie.EventsType = typeof(GatewaySessionEvents);
        })
        .AddScheme<AuthenticationSchemeOptions, AdminSignInHandler>(AdminSignInDefaults.Scheme, null);

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.SetDefaultApplicationEntity<IdentityApplication>()
                    .SetDefaultAuthorizationEntity<IdentityAuthorization>()
                    .SetDefaultScopeEntity<IdentityScope>()
                    .SetDefaultTokenEntity<IdentityToken>();
                core.ReplaceApplicationStore<IdentityApplication, ConfigApplicationStore>(ServiceLifetime.Singleton)
                    .ReplaceAuthorizationStore<IdentityAuthorization, RedisAuthorizationStore>(ServiceLifetime.Singleton)
                    .ReplaceScopeStore<IdentityScope, ConfigScopeStore>(ServiceLifetime.Singleton)
                    .ReplaceTokenStore<IdentityToken, RedisTokenStore>(ServiceLifetime.Singleton);
                core.ReplaceApplicationManager<IdentityApplication, ApplicationManager>()
                    .ReplaceTokenManager<IdentityToken, TokenManager>();
                // Another node may redeem or revoke a token at any moment: always read the store.
                core.DisableEntityCaching();
            })
            .AddServer(server => ServerSetup.Configure(server, settings))
            .AddClient(client => ClientSetup.Configure(client, settings));

        return services;
    }
}
