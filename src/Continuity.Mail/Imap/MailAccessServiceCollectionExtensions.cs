using Continuity.Core.Credentials;
using Continuity.Mail.Proxy;
using Continuity.Mail.Submission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Imap;

public static class MailAccessServiceCollectionExtensions
{
    /// <summary>
    /// The IMAP and submission proxy with gateway authentication (app passwords, login throttle, and the
    /// <see cref="IBearerTokenValidator"/> seam). Options: <c>Continuity:Mail:Access</c> (validated at start) and
    /// <c>Continuity:Credentials</c>. Needs the Core services, <see cref="TimeProvider"/>, logging and an
    /// <c>IConfiguration</c> in the container.
    /// </summary>
    public static IServiceCollection AddContinuityMailAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddContinuityCredentials();
        services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName);
        services.AddOptions<MailAccessOptions>().BindConfiguration(MailAccessOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailAccessOptions>, MailAccessOptionsValidator>());
        services.TryAddSingleton(sp => new MailLogin(
            sp.GetRequiredService<Core.Tenants.TenantDirectory>(),
            sp.GetRequiredService<AppPasswordStore>(),
            sp.GetRequiredService<LoginThrottle>(),
            sp.GetRequiredService<Core.Routing.RouteTable>(),
            sp.GetRequiredService<Core.Audit.AuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MailLogin>>(),
            sp.GetService<IBearerTokenValidator>()));
        services.TryAddSingleton<ProxySessionRegistry>();
        services.TryAddSingleton<ImapServer>();
        services.TryAddSingleton<SubmissionServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ImapServer>());
        services.AddHostedService(sp => sp.GetRequiredService<SubmissionServer>());
        return services;
    }
}
