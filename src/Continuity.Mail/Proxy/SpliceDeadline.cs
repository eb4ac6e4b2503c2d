namespace Continuity.Mail.Proxy;

/// <summary>
/// The idle and session deadlines of one splice on a single one-shot timer. A read only stamps the time
/// (<see cref="Active"/>: one timestamp, no timer change, no lock); the timer fires when the earlier deadline could
/// be due, looks at the last stamp and either re-arms for the rest or cancels <see cref="Token"/>. So the idle
/// timeout still fires exactly <see cref="SpliceLimits.Idle"/> after the last byte, while a busy session touches the
/// timer queue once per idle period instead of once per read.
/// </summary>
internal sealed class SpliceDeadline : IDisposable
{
    private readonly CancellationTokenSource _expired = new();
    private readonly SpliceLimits _limits;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _timer;
    private readonly Lock _check = new();
    private long _lastActivity;
    private SpliceEnd? _reason;
    private bool _disposed;

    public SpliceDeadline(SpliceLimits limits, TimeProvider time)
    {
        (_limits, _time) = (limits, time);
        _started = _lastActivity = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Check(), null, Min(limits.Idle, limits.Session), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled when a deadline passes.</summary>
    public CancellationToken Token => _expired.Token;

    /// <summary><see cref="SpliceEnd.IdleTimeout"/> or <see cref="SpliceEnd.SessionTimeout"/> once one passed, else null.</summary>
    public SpliceEnd? Reason
    {
        get
        {
            lock (_check)
            {
                return _reason;
            }
        }
    }

    /// <summary>A byte went one way or the other.</summary>
    public void Active() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    public void Dispose()
    {
        lock (_check)
        {
            _disposed = true; // a late timer callback does nothing
            _timer.Dispose();
            _expired.Dispose();
        }
    }

    private void Check()
    {
        lock (_check)
        {
            if (_disposed || _reason is not null)
            {
                return;
            }

            var idleLeft = _limits.Idle - _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
            var sessionLeft = _limits.Session - _time.GetElapsedTime(_started);
            if (idleLeft > TimeSpan.Zero && sessionLeft > TimeSpan.Zero)
            {
                _timer.Change(Min(idleLeft, sessionLeft), Timeout.InfiniteTimeSpan);
                return;
            }

            _reason = sessionLeft <= TimeSpan.Zero ? SpliceEnd.SessionTimeout : SpliceEnd.IdleTimeout;
            _expired.Cancel(); // under the lock: Dispose cannot run in between
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
