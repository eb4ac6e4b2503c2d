using Continuity.Core.Credentials;
using Continuity.Mail.Probes;
using Continuity.Mail.Submission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Mail.Imap;

public static class MailAccessServiceCollectionExtensions
{
    /// <summary>
    /// The IMAP and submission proxy with gateway authentication (app passwords, login throttle, and the
    /// <see cref="IBearerTokenValidator"/> seam), and the probes of every provider's IMAP and submission backends
    /// (<see cref="ImapSubmissionProbeService"/>, into <see cref="BackendHealthRegistry"/>). Options:
    /// <c>Continuity:Mail:Access</c> (validated at start), <c>Continuity:Credentials</c> and <c>Continuity:Mail:Probes</c>
    /// (validated by <c>AddContinuityMail</c>). Needs the Core services, <see cref="TimeProvider"/>, logging and an
    /// <c>IConfiguration</c> in the container.
    /// </summary>
    public static IServiceCollection AddContinuityMailAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddContinuityCredentials();
        services.TryAddSingleton<Core.Metrics.ContinuityMetrics>();
        services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName);
        services.AddOptions<MailAccessOptions>().BindConfiguration(MailAccessOptions.SectionName).ValidateOnStartWith<MailAccessOptions, MailAccessOptionsValidator>();
        services.TryAddSingleton(sp => new MailLogin(
            sp.GetRequiredService<Core.Tenants.TenantDirectory>(),
            sp.GetRequiredService<AppPasswordStore>(),
            sp.GetRequiredService<LoginThrottle>(),
            sp.GetRequiredService<Core.Routing.RouteTable>(),
            sp.GetRequiredService<Core.Audit.AuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MailLogin>>(),
            sp.GetService<IBearerTokenValidator>()));
        services.TryAddSingleton<AppTokenSource>(); // shared with mailbox sync: one cached app token per tenant and provider
        services.TryAddSingleton<ProxySessionRegistry>();
        services.TryAddSingleton<ImapServer>();
        services.TryAddSingleton<SubmissionServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ImapServer>());
        services.AddHostedService(sp => sp.GetRequiredService<SubmissionServer>());

        services.AddOptions<ProbeOptions>(ImapSubmissionProbeService.OptionsName).BindConfiguration(MailOptions.SectionName + ":Probes");
        services.TryAddSingleton<BackendHealthRegistry>(); // Core registers the same ones; a host without Core still gets them
        services.TryAddSingleton<BackendProbeServiceDependencies>();
        services.TryAddSingleton<MxIdentity>(); // the EHLO name of the submission probe, as AddContinuityMail registers it
        services.TryAddSingleton(sp => new ImapSubmissionProbeService(
            sp.GetRequiredService<IOptions<ContinuityOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<ProbeOptions>>().Get(ImapSubmissionProbeService.OptionsName),
            sp.GetRequiredService<MxIdentity>(),
            sp.GetRequiredService<BackendProbeServiceDependencies>()));
        services.AddHostedService(sp => sp.GetRequiredService<ImapSubmissionProbeService>());
        return services;
    }
}
