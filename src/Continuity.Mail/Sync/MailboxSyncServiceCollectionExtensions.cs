using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Mail.Sync;

public static class MailboxSyncServiceCollectionExtensions
{
    /// <summary>
    /// Mailbox sync: options from <c>Continuity:Mail:Sync</c> (bound from the host's <c>IConfiguration</c>, validated at
    /// start), checkpoint and user stores, the sync engine, <see cref="MailboxSyncStatus"/> and the background scheduler.
    /// The host registers <c>StateStore</c>, <c>RouteTable</c>, <c>UserDirectory</c>, <c>ApprovalStore</c>,
    /// <see cref="TimeProvider"/>, logging and <c>IOptions&lt;ContinuityOptions&gt;</c> (AddContinuityCore does).
    /// </summary>
    public static IServiceCollection AddContinuityMailboxSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MailboxSyncOptions>().BindConfiguration(MailboxSyncOptions.SectionName).ValidateOnStartWith<MailboxSyncOptions, MailboxSyncOptionsValidator>();
        services.TryAddSingleton<FolderCheckpointStore>();
        services.TryAddSingleton<SyncUserStore>();
        services.TryAddSingleton<AppTokenSource>();
        services.TryAddSingleton<ImapConnector>();
        services.TryAddSingleton<FolderMapper>();
        services.TryAddSingleton<MailboxSynchronizer>();
        services.TryAddSingleton<MailboxSyncRunner>();
        services.TryAddSingleton<MailboxSyncScheduler>();
        services.TryAddSingleton(sp => new MailboxSyncStatus(
            sp.GetRequiredService<SyncUserStore>(), sp.GetRequiredService<MailboxSyncScheduler>(),
            sp.GetRequiredService<IOptions<MailboxSyncOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<MailboxSyncScheduler>());
        return services;
    }
}
