using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Continuity.Gateway.Readiness;

/// <summary>
/// The readiness gauge: users not ready per tenant, as of the last tenant-wide check on this node (the admin API,
/// the console, the CLI, or a drill). A <see cref="Meter"/> instrument, so the
/// OpenTelemetry exporter and any <see cref="MeterListener"/> read it alike. A tenant not checked yet reports nothing
/// (rather than a reassuring 0).
/// </summary>
internal sealed class ReadinessMetrics : IDisposable
{
    public const string MeterName = "Continuity.Readiness";

    public const string NotReadyInstrument = "continuity.readiness.users_not_ready";

    public const string CheckedInstrument = "continuity.readiness.users_checked";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, (int Users, int NotReady)> _last = new(StringComparer.OrdinalIgnoreCase);

    public ReadinessMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge(NotReadyInstrument, () => Observe(v => v.NotReady), unit: "{user}",
            description: "Users of the tenant whose failover would break now (a readiness check failed), as of the last tenant-wide check.");
        _meter.CreateObservableGauge(CheckedInstrument, () => Observe(v => v.Users), unit: "{user}",
            description: "Users of the tenant the last tenant-wide readiness check covered.");
    }

    public void Record(TenantReadiness readiness)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        _last[readiness.Tenant] = (readiness.Users, readiness.NotReady);
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> Observe(Func<(int Users, int NotReady), int> pick) =>
        _last.Select(t => new Measurement<int>(pick(t.Value), new KeyValuePair<string, object?>("tenant", t.Key)));
}
