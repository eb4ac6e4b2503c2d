using Continuity.Core.Routing;

namespace Continuity.Gateway.Health;

/// <summary>Counters this node keeps for <c>/metrics</c>.</summary>
internal sealed class GatewayMetrics
{
    private long _snapshotSwaps;

    public GatewayMetrics(RouteTable table) => table.Changed += (_, _) => Interlocked.Increment(ref _snapshotSwaps);

    public long SnapshotSwaps => Interlocked.Read(ref _snapshotSwaps);
}
