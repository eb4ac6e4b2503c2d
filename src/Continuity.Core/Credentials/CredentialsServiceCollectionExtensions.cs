using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Core.Credentials;

public static class CredentialsServiceCollectionExtensions
{
    /// <summary>
    /// App passwords and the login throttle. Needs the Core services (<c>AddContinuityCore</c>); options default
    /// unless the host binds <see cref="CredentialOptions.SectionName"/> (<c>AddContinuityMailAccess</c> does).
    /// </summary>
    public static IServiceCollection AddContinuityCredentials(this IServiceCollection services)
    {
        services.AddOptions<CredentialOptions>();
        services.TryAddSingleton<AppPasswordStore>();
        services.TryAddSingleton<LoginThrottle>();
        return services;
    }
}
