using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Gateway.Drills;

internal static class DrillsServiceCollectionExtensions
{
    /// <summary>
    /// Readiness (checks, the users-not-ready gauge) and continuity drills (service, report store, the back-channel
    /// upstream sign-in). Needs the core, identity, mail and mailbox sync registrations.
    /// </summary>
    public static IServiceCollection AddContinuityReadinessAndDrills(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<MailboxProbe>();
        services.TryAddSingleton<ReadinessMetrics>();
        services.TryAddSingleton<ReadinessService>();
        services.TryAddSingleton<UpstreamSignIn>();
        services.TryAddSingleton<DrillStore>();
        services.TryAddSingleton<DrillService>();
        services.AddHostedService<DrillShutdown>();
        return services;
    }
}
