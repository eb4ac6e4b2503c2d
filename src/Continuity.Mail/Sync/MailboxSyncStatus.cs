namespace Continuity.Mail.Sync;

/// <summary>
/// Per-user mailbox sync state for the admin API, the CLI (<c>continuity sync status [--user]</c>,
/// <c>continuity sync now --user</c>), <c>/health/status</c> and <c>/metrics</c>. States live in the state store,
/// so every node answers for every user.
/// </summary>
public sealed class MailboxSyncStatus
{
    private readonly SyncUserStore _users;
    private readonly MailboxSyncScheduler _scheduler;
    private readonly TimeProvider _time;

    internal MailboxSyncStatus(SyncUserStore users, MailboxSyncScheduler scheduler, IOptions<MailboxSyncOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _users = users;
        _scheduler = scheduler;
        _time = time;
        MaxLag = options.Value.MaxLag;
    }

    /// <summary>Lag above which a user's copy counts as stale (<c>Continuity:Mail:Sync:MaxLag</c>).</summary>
    public TimeSpan MaxLag { get; }

    /// <summary>Every user of the tenant that has been synced at least once, by address.</summary>
    public Task<IReadOnlyList<UserSyncState>> ListAsync(string tenant, CancellationToken cancellationToken = default) => _users.ListStatusAsync(tenant, cancellationToken);

    /// <summary>One user's state, or null when the user was never synced.</summary>
    public Task<UserSyncState?> GetAsync(string tenant, string user, CancellationToken cancellationToken = default) => _users.GetStatusAsync(tenant, user, cancellationToken);

    /// <summary>How far the user's sovereign copy may lag now (null: never synced): show it on a failover request.</summary>
    public async Task<TimeSpan?> GetLagAsync(string tenant, string user, CancellationToken cancellationToken = default) =>
        (await GetAsync(tenant, user, cancellationToken).ConfigureAwait(false))?.Lag(_time.GetUtcNow());

    /// <summary>True when the user was never synced or the last successful run is older than <see cref="MaxLag"/>.</summary>
    public bool IsStale(UserSyncState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Lag(_time.GetUtcNow()) is not { } lag || lag > MaxLag;
    }

    /// <summary>Flags a user for attention (cut-off signal, pending failover): this node's scheduler syncs them next.</summary>
    public void RequestSync(string tenant, string user) => _scheduler.Request(tenant, user);

    /// <summary>Syncs the user now (ahead of the queue) and returns the new state; null when another node held the user's lease.</summary>
    public Task<UserSyncState?> SyncNowAsync(string tenant, string user, CancellationToken cancellationToken = default) =>
        _scheduler.SyncNowAsync(tenant, user, cancellationToken);
}
