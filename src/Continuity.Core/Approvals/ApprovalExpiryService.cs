using Continuity.Core.Failover;
using Microsoft.Extensions.Hosting;

namespace Continuity.Core.Approvals;

/// <summary>Expires pending requests whose time is up, once a minute (listing and approving also check).</summary>
public sealed class ApprovalExpiryService(FailoverService failover, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await failover.ExpireDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (StateUnavailableException)
                {
                    // Next minute.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
