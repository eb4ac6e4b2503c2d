namespace Continuity.Mail.Sync;

/// <summary>
/// Runs one user's sync within this node's limits (<see cref="MailboxSyncOptions.MaxParallelUsers"/> in total,
/// <see cref="MailboxSyncOptions.MaxParallelPerBackend"/> per IMAP backend) and under the user's lease in the state
/// store (no two nodes sync one mailbox at once), then records the user's <see cref="UserSyncState"/>.
/// </summary>
internal sealed partial class MailboxSyncRunner(
    MailboxSynchronizer synchronizer,
    SyncUserStore users,
    ImapConnector connector,
    IOptions<ContinuityOptions> continuity,
    IOptions<MailboxSyncOptions> options,
    TimeProvider time,
    ILogger<MailboxSyncRunner> logger,
    NodeIdentity? node = null) : IDisposable
{
    private const int MaxWarningsKept = 20;
    private readonly SemaphoreSlim _total = new(options.Value.MaxParallelUsers);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _backends = new(StringComparer.OrdinalIgnoreCase);
    // Without a NodeIdentity (tests that wire the engine by hand) every runner is a node of its own.
    private readonly string _node = node?.Id ?? Guid.NewGuid().ToString("N");
    private readonly string _run = node?.RunId ?? Guid.NewGuid().ToString("N");

    /// <summary>Runs the sync; null when another node holds the user's lease (it is syncing the user right now).</summary>
    public async Task<UserSyncState?> RunAsync(string tenant, string user, SyncDirection direction, bool failbackPending, CancellationToken cancellationToken)
    {
        user = user.ToLowerInvariant();
        var tenantOptions = continuity.Value.Tenants[tenant];
        var backends = new[] { tenantOptions.DefaultProvider, tenantOptions.ResolveSovereignProvider() }
            .Select(p => connector.Resolve(tenant, p, user).Imap.Key).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var held = new List<SemaphoreSlim>();
        await _total.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var backend in backends)
            {
                var slot = _backends.GetOrAdd(backend, _ => new SemaphoreSlim(options.Value.MaxParallelPerBackend));
                await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
                held.Add(slot);
            }

            return await RunLeasedAsync(tenant, user, direction, failbackPending, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            held.ForEach(s => s.Release());
            _total.Release();
        }
    }

    private async Task<UserSyncState?> RunLeasedAsync(string tenant, string user, SyncDirection direction, bool failbackPending, CancellationToken cancellationToken)
    {
        var token = $"{_node}:{_run}:{Guid.NewGuid():N}";
        var lease = options.Value.LeaseDuration;
        if (!await users.TryAcquireLeaseAsync(tenant, user, token, lease).ConfigureAwait(false)
            && !await users.TryTakeOverLeaseAsync(tenant, user, $"{_node}:", $"{_node}:{_run}:", token, lease).ConfigureAwait(false))
        {
            Log.Leased(logger, tenant, user);
            return null;
        }

        try
        {
            var started = time.GetUtcNow();
            var previous = await users.GetStatusAsync(tenant, user, cancellationToken).ConfigureAwait(false);
            MailboxSyncResult? result = null;
            string? error;
            try
            {
                var renewedAt = time.GetUtcNow();
                async Task RenewAsync()
                {
                    if (time.GetUtcNow() - renewedAt < lease / 4)
                    {
                        return;
                    }

                    if (!await users.RenewLeaseAsync(tenant, user, token, lease).ConfigureAwait(false))
                    {
                        throw new SyncLeaseLostException($"the sync lease of {tenant}/{user} expired or was taken over; this run stops so two nodes never copy at once");
                    }

                    renewedAt = time.GetUtcNow();
                }

                result = await synchronizer.SyncAsync(tenant, user, direction, RenewAsync, cancellationToken).ConfigureAwait(false);
                error = result.Error ?? result.Folders.Where(f => f.Error is not null).Select(f => $"{f.Source}: {f.Error}").FirstOrDefault();
            }
            catch (Exception e) when (MailboxSynchronizer.IsTransient(e))
            {
                error = $"{e.GetType().Name}: {e.Message}";
                Log.Failed(logger, tenant, user, direction, error);
            }

            var succeeded = error is null;
            var state = new UserSyncState(
                tenant,
                user,
                started,
                succeeded && direction == SyncDirection.Forward ? started : previous?.LastSuccess,
                direction == SyncDirection.Forward ? "forward" : "failback",
                result?.Copied ?? 0,
                (previous?.TotalCopied ?? 0) + (result?.Copied ?? 0),
                result?.FlagsUpdated ?? 0,
                error,
                [.. (result?.Warnings ?? []).Take(MaxWarningsKept)],
                direction == SyncDirection.Failback ? !succeeded : failbackPending,
                result?.KeywordsDropped ?? 0,
                (previous?.TotalKeywordsDropped ?? 0) + (result?.KeywordsDropped ?? 0));
            await users.SaveStatusAsync(state).ConfigureAwait(false);
            return state;
        }
        finally
        {
            await ReleaseQuietlyAsync(tenant, user, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the lease back without hiding the run's own outcome: a store that is gone now (the very failure the run
    /// may be reporting) is logged, and the lease then ends by its TTL.
    /// </summary>
    private async Task ReleaseQuietlyAsync(string tenant, string user, string token)
    {
        try
        {
            await users.ReleaseLeaseAsync(tenant, user, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReleaseFailed(logger, tenant, user, e.GetType().Name);
        }
    }

    public void Dispose()
    {
        _total.Dispose();
        foreach (var slot in _backends.Values)
        {
            slot.Dispose();
        }
    }
}
