using Microsoft.Extensions.Hosting;

namespace Continuity.Core.Users;

/// <summary>
/// Adds each tenant's configured <see cref="TenantOptions.Users"/> to the directory once the store is
/// reachable, and again after every reconnect (a store that restarted empty gets them back).
/// </summary>
public sealed class UserDirectorySeeder(UserDirectory users, StateStore store, IOptions<ContinuityOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        (await store.ConnectAsync(stoppingToken).ConfigureAwait(false)).ConnectionRestored += (_, _) => _ = SeedAsync(stoppingToken);
        await SeedAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task SeedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (id, tenant) in options.Value.Tenants.Where(t => t.Value.Users.Count > 0))
                {
                    await users.AddAsync(id, tenant.Users, stoppingToken).ConfigureAwait(false);
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StateUnavailableException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
