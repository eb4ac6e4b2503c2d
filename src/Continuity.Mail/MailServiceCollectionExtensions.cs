using Continuity.Mail.Bounces;
using Continuity.Mail.Delivery;
using Continuity.Mail.Probes;
using Continuity.Mail.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The mail part: MX listener (SmtpServer), durable spool, delivery workers, bounces, <see cref="MailQueue"/> and
    /// the inbound backend probes (<see cref="InboundProbeService"/>).
    /// Options come from <c>Continuity:Mail</c> (validated at start). The host registers <see cref="TimeProvider"/>,
    /// <c>RouteTable</c>, <c>TenantDirectory</c>, <c>ICutoffSignals</c>, logging and <c>IOptions&lt;ContinuityOptions&gt;</c>.
    /// </summary>
    public static IServiceCollection AddContinuityMail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.SectionName)).ValidateOnStartWith<MailOptions, MailOptionsValidator>();

        services.TryAddSingleton<MxIdentity>();
        services.TryAddSingleton<Core.Metrics.ContinuityMetrics>();
        services.TryAddSingleton(sp => new SpoolStore(
            SpoolDirectory(sp.GetRequiredService<IOptions<MailOptions>>().Value, sp.GetRequiredService<IOptions<ContinuityOptions>>().Value),
            sp.GetRequiredService<ILogger<SpoolStore>>()));
        services.TryAddSingleton<SpoolQueue>();
        services.TryAddSingleton<RecipientPolicy>();
        services.TryAddSingleton<MxMailboxFilter>();
        services.TryAddSingleton<SpoolMessageStore>();
        services.TryAddSingleton<MxServer>();

        services.TryAddSingleton<LmtpConnectionPool>();
        services.TryAddSingleton<IBackendTransport, BackendTransport>();
        services.TryAddSingleton<Drills.DrillProbeRoutes>();
        services.TryAddSingleton<DeliveryPlanner>();
        services.TryAddSingleton<DisabledMailboxMatcher>();
        services.TryAddSingleton<BounceSpooler>();
        // The recovery search logs in as the mailbox sync does (same connector, same credentials).
        services.TryAddSingleton<Backends.AppTokenSource>();
        services.TryAddSingleton<Sync.ImapConnector>();
        services.TryAddSingleton<DeliveredCopyFinder>();
        services.TryAddSingleton<MessageDelivery>();
        services.TryAddSingleton<DeliveryService>();
        services.TryAddSingleton(sp => new MailQueue(
            sp.GetRequiredService<SpoolQueue>(), sp.GetRequiredService<SpoolStore>(), sp.GetRequiredService<DeliveryPlanner>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MailQueue>>()));

        services.TryAddSingleton<BackendHealthRegistry>(); // Core registers the same ones; a host without Core still gets them
        services.TryAddSingleton<BackendProbeServiceDependencies>();
        services.TryAddSingleton<InboundProbeService>();

        // Delivery first: it loads the spool before the MX accepts anything new.
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryService>());
        services.AddHostedService(sp => sp.GetRequiredService<MxServer>());
        services.AddHostedService(sp => sp.GetRequiredService<InboundProbeService>());
        return services;
    }

    /// <summary><c>Continuity:Mail:SpoolDir</c>, or <c>&lt;DataDir&gt;/spool</c>.</summary>
    internal static string SpoolDirectory(MailOptions mail, ContinuityOptions continuity) =>
        Path.GetFullPath(mail.SpoolDir ?? Path.Combine(continuity.DataDir, "spool"));
}
