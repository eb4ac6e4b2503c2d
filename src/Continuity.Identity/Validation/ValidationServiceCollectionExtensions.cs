using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Validation;

namespace Continuity.Identity.Validation;

public static class ValidationServiceCollectionExtensions
{
    /// <summary>
    /// Validation of the gateway's own access tokens against its own server (OpenIddict validation with the local server's
    /// keys, token entries checked so revocation holds on every node), the mail token check behind OAUTHBEARER/XOAUTH2 and
    /// the admin API's bearer scheme (<see cref="TokenValidationDefaults.AdminBearerScheme"/>). Needs <c>AddContinuityIdentity()</c>.
    /// </summary>
    public static IServiceCollection AddContinuityTokenValidation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AccessTokenOptions>().Bind(configuration.GetSection(AccessTokenOptions.SectionName)).ValidateOnStartWith<AccessTokenOptions, AccessTokenOptionsValidator>();
        services.AddOpenIddict().AddValidation(validation =>
        {
            // UseLocalServer first: its configuration sets EnableTokenEntryValidation from the server's own setting.
            validation.UseLocalServer();
            validation.UseAspNetCore();
            validation.EnableTokenEntryValidation();
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictValidationOptions>, ConfigureValidIssuers>());
        services.TryAddSingleton<AccessTokenReader>();
        services.TryAddSingleton<MailTokenValidator>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminBearerHandler>(TokenValidationDefaults.AdminBearerScheme, null);
        return services;
    }
}
