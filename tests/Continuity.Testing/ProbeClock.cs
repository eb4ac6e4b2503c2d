using Microsoft.Extensions.Time.Testing;

namespace Continuity.Testing;

/// <summary>
/// The walk of a backend probe's clock that the probe tests (identity upstreams, mail backends) share, so each asserts
/// the same thresholds: <c>DownAfter</c> (how long a backend must fail before the tenant is signalled) and one
/// <c>Interval</c> past it (still down: no second signal).
/// </summary>
public static class ProbeClock
{
    /// <summary>
    /// From a first failed round: a round one second before <paramref name="downAfter"/>, one at it, and one
    /// <paramref name="interval"/> later. Returns how many signals had been raised before <paramref name="downAfter"/>.
    /// </summary>
    public static async Task<int> PastDownAfterAsync(FakeTimeProvider time, TimeSpan downAfter, TimeSpan interval, Func<Task> round, Func<int> signalsRaised)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(signalsRaised);
        time.Advance(downAfter - TimeSpan.FromSeconds(1));
        await round();
        var beforeDownAfter = signalsRaised();
        time.Advance(TimeSpan.FromSeconds(1));
        await round();
        time.Advance(interval);
        await round();
        return beforeDownAfter;
    }
}
