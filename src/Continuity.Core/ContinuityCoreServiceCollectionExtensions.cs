using Continuity.Core.Approvals;
using Continuity.Core.Audit;
using Continuity.Core.Failover;
using Continuity.Core.Health;
using Continuity.Core.Listeners;
using Continuity.Core.Metrics;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.Tenants;
using Continuity.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Core;

public static class ContinuityCoreServiceCollectionExtensions
{
    /// <summary>
    /// State store, routes, audit, approvals, failover switch and cut-off signals. The host binds
    /// and validates <see cref="Configuration.ContinuityOptions"/>.
    /// </summary>
    public static IServiceCollection AddContinuityCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ContinuityMetrics>();
        services.TryAddSingleton<TenantDirectory>();
        services.TryAddSingleton<ListenerRegistry>();
        services.TryAddSingleton<NodeIdentity>();
        services.TryAddSingleton<BackendHealthRegistry>();
        services.TryAddSingleton<BackendProbeServiceDependencies>();
        services.TryAddSingleton<StateStore>();
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton<RouteStore>();
        services.TryAddSingleton<AuditKey>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<ApprovalStore>();
        services.TryAddSingleton<UserDirectory>();
        services.TryAddSingleton<FailoverService>();
        services.TryAddSingleton<WithheldSuggestions>();
        services.TryAddSingleton<ICutoffSignals, CutoffSignalService>();
        services.TryAddSingleton<RouteSnapshotService>();
        // Started in this order: the store connects (or the embedded one starts), then the snapshot service reads its
        // fail-static copy, before any part that routes starts.
        services.AddHostedService(sp => sp.GetRequiredService<StateStore>());
        services.AddHostedService(sp => sp.GetRequiredService<RouteSnapshotService>());
        services.AddHostedService<UserDirectorySeeder>();
        services.AddHostedService<ApprovalExpiryService>();
        return services;
    }
}
