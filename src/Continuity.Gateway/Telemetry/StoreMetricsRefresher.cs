namespace Continuity.Gateway.Telemetry;

/// <summary>With OTLP export on: samples the store-backed gauges on the export interval, since no scrape asks for them.</summary>
internal sealed partial class StoreMetricsRefresher(
    StoreMetricsSampler sampler, GatewayMetrics gauges, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<StoreMetricsRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = gauges;
        using var timer = new PeriodicTimer(options.Value.Otlp.Interval, time);
        try
        {
            do
            {
                try
                {
                    await sampler.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.Failed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
