using Continuity.Core.Approvals;
using Continuity.Core.Users;

namespace Continuity.Mail.Sync;

/// <summary>
/// Background service that keeps every synced user's sovereign copy fresh. Each tick it picks, in order: users whose
/// route just returned to primary (failback first, then forward at once), users flagged for attention
/// (<see cref="Request"/>: a cut-off signal, an admin's "sync now") or with a pending failover request, then users
/// whose last run started at least <see cref="MailboxSyncOptions.PollInterval"/> ago, oldest first. Only users routed
/// to primary are synced forward; during an event the primary may refuse, and the sovereign side is the live one.
/// </summary>
internal sealed partial class MailboxSyncScheduler(
    MailboxSyncRunner runner,
    SyncUserStore users,
    UserDirectory directory,
    ApprovalStore approvals,
    RouteTable routes,
    IOptions<ContinuityOptions> continuity,
    IOptions<MailboxSyncOptions> options,
    TimeProvider time,
    ILogger<MailboxSyncScheduler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Tenant, string User), DateTimeOffset> _lastStart = new();
    private readonly ConcurrentDictionary<(string Tenant, string User), Task> _running = new();
    private readonly ConcurrentDictionary<(string Tenant, string User), byte> _requested = new();
    private readonly ConcurrentDictionary<(string Tenant, string User), byte> _failbacks = new();
    private readonly ConcurrentDictionary<(string Tenant, string User), TaskCompletionSource<UserSyncState?>> _waiters = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _knownUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Ticks often enough to start a due user soon after it is due (a fifth of the poll interval, 100 ms to 5 s).</summary>
    private TimeSpan Tick => TimeSpan.FromTicks(Math.Clamp(options.Value.PollInterval.Ticks / 5, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));

    public bool IsFailbackPending(string tenant, string user) => _failbacks.ContainsKey((tenant, user.ToLowerInvariant()));

    /// <summary>Flags a user for attention: synced before users that are merely due.</summary>
    public void Request(string tenant, string user)
    {
        _requested[(tenant, user.ToLowerInvariant())] = 0;
        _wake.Release();
    }

    /// <summary>Requests a run and waits for the user's next run to finish (null: another node held the lease).</summary>
    public Task<UserSyncState?> SyncNowAsync(string tenant, string user, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd((tenant, user.ToLowerInvariant()), _ => new TaskCompletionSource<UserSyncState?>(TaskCreationOptions.RunContinuationsAsynchronously));
        Request(tenant, user);
        return waiter.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        routes.Changed += OnRoutesChanged;
        try
        {
            await LoadFailbacksAsync().ConfigureAwait(false);
            using var timer = new PeriodicTimer(Tick, time);
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            while (!stoppingToken.IsCancellationRequested)
            {
                await DispatchSafelyAsync(stoppingToken).ConfigureAwait(false);
                var woke = await Task.WhenAny(tick, _wake.WaitAsync(stoppingToken)).ConfigureAwait(false);
                if (woke == tick)
                {
                    if (!await SafeTickAsync(tick).ConfigureAwait(false))
                    {
                        break;
                    }

                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        finally
        {
            routes.Changed -= OnRoutesChanged;
            await Task.WhenAll(_running.Values).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static async Task<bool> SafeTickAsync(Task<bool> tick)
    {
        try
        {
            return await tick.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DispatchSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DispatchAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
            Log.StoreUnavailable(logger);
        }
    }

    private async Task LoadFailbacksAsync()
    {
        try
        {
            foreach (var pending in await users.ListFailbacksAsync().ConfigureAwait(false))
            {
                _failbacks[pending] = 0;
            }
        }
        catch (StateUnavailableException)
        {
            Log.StoreUnavailable(logger);
        }
    }
}
