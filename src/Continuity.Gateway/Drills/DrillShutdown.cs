namespace Continuity.Gateway.Drills;

/// <summary>
/// On shutdown, waits (within the host's shutdown timeout) for drills running on this node: the stopping token ends
/// their waits, and a live drill still routes its users back and cleans up before the process goes.
/// </summary>
internal sealed class DrillShutdown(DrillService drills) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(drills.Running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed: the drill's report and the log say where it stopped.
        }
    }
}
