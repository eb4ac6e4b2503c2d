namespace Continuity.Mail.Sync;

internal sealed partial class MailboxSyncScheduler
{
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var moving = await PendingMovesAsync().ConfigureAwait(false);
        var due = new List<(int Priority, DateTimeOffset Last, (string Tenant, string User) Key, SyncDirection Direction)>();
        foreach (var (id, sync) in options.Value.Tenants)
        {
            if (!sync.Enabled || !continuity.Value.Tenants.TryGetValue(id, out var tenant))
            {
                continue;
            }

            var known = (await directory.ListAsync(id, stoppingToken).ConfigureAwait(false)).Concat(tenant.Users.Select(u => u.ToLowerInvariant())).Distinct(StringComparer.Ordinal).ToList();
            _knownUsers[id] = known;
            foreach (var user in known)
            {
                var key = (id, user);
                if (_running.ContainsKey(key) || !string.Equals(routes.Resolve(id, user), tenant.DefaultProvider, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var last = _lastStart.GetValueOrDefault(key, DateTimeOffset.MinValue);
                if (_failbacks.ContainsKey(key))
                {
                    due.Add((0, last, key, SyncDirection.Failback));
                }
                else if (_requested.ContainsKey(key) || FlaggedSince(moving, id, user) is { } flagged && last < flagged)
                {
                    due.Add((1, last, key, SyncDirection.Forward));
                }
                else if (now - last >= options.Value.PollInterval)
                {
                    due.Add((2, last, key, SyncDirection.Forward));
                }
            }
        }

        foreach (var (_, _, key, direction) in due.OrderBy(d => d.Priority).ThenBy(d => d.Last))
        {
            if (_running.Count >= options.Value.MaxParallelUsers)
            {
                break;
            }

            _requested.TryRemove(key, out _);
            _lastStart[key] = now;
            var job = new TaskCompletionSource();
            _running[key] = job.Task;
            _ = RunJobAsync(key, direction, job, stoppingToken);
        }
    }

    private async Task RunJobAsync((string Tenant, string User) key, SyncDirection direction, TaskCompletionSource job, CancellationToken stoppingToken)
    {
        await Task.Yield();
        UserSyncState? state = null;
        try
        {
            state = await runner.RunAsync(key.Tenant, key.User, direction, _failbacks.ContainsKey(key), stoppingToken).ConfigureAwait(false);
            if (direction == SyncDirection.Failback && state is { LastError: null })
            {
                _failbacks.TryRemove(key, out _);
                await users.RemoveFailbackAsync(key.Tenant, key.User).ConfigureAwait(false);
                _requested[key] = 0; // primary → sovereign resumes at once
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the checkpoints hold what was done.
        }
        catch (Exception e) when (e is StateUnavailableException or InvalidOperationException or KeyNotFoundException)
        {
            Log.JobFailed(logger, key.Tenant, key.User, e.GetType().Name, e.Message);
        }
        catch (Exception e)
        {
            // Last resort: this job runs fire-and-forget; whatever it throws is logged with its stack and the
            // scheduler goes on (the finally below frees the user's slot for the next run).
            Log.JobCrashed(logger, key.Tenant, key.User, e);
        }
        finally
        {
            _running.TryRemove(key, out _);
            if (_waiters.TryRemove(key, out var waiter))
            {
                waiter.TrySetResult(state);
            }

            job.TrySetResult();
            _wake.Release();
        }
    }

    /// <summary>
    /// Users (or "*" for a whole tenant) with a pending failover request (a cut-off signal's suggestion, an admin's
    /// request), with the time of the latest: their copy should be fresh now. Each such user goes first once after the
    /// request; later runs follow the poll interval, so a request pending for hours does not starve everyone else.
    /// </summary>
    private async Task<Dictionary<(string Tenant, string User), DateTimeOffset>> PendingMovesAsync()
    {
        try
        {
            var pending = await approvals.ListPendingAsync().ConfigureAwait(false);
            return pending
                .Where(p => p.Request.Kind is null) // route changes only: an app password request moves nobody
                .GroupBy(p => (p.Request.Tenant, p.Request.User?.ToLowerInvariant() ?? "*"))
                .ToDictionary(g => g.Key, g => g.Max(p => p.Request.RequestedAt));
        }
        catch (StateUnavailableException)
        {
            return [];
        }
    }

    private static DateTimeOffset? FlaggedSince(Dictionary<(string Tenant, string User), DateTimeOffset> moving, string tenant, string user)
    {
        var forUser = moving.TryGetValue((tenant, user), out var at) ? at : (DateTimeOffset?)null;
        var forTenant = moving.TryGetValue((tenant, "*"), out var all) ? all : (DateTimeOffset?)null;
        return forUser > forTenant || forTenant is null ? forUser : forTenant;
    }

    /// <summary>A user whose route returns to primary gets a failback (sovereign → primary) before forward sync resumes.</summary>
    private void OnRoutesChanged(RouteSnapshot before, RouteSnapshot after)
    {
        if (before.Version == 0)
        {
            return; // the first snapshot this node loads is not a change
        }

        foreach (var (id, sync) in options.Value.Tenants)
        {
            if (!sync.Enabled || !continuity.Value.Tenants.TryGetValue(id, out var tenant))
            {
                continue;
            }

            var candidates = _knownUsers.GetValueOrDefault(id, []).Concat(Overrides(before, id)).Concat(Overrides(after, id)).Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var user in candidates)
            {
                var was = string.Equals(before.Resolve(id, user), tenant.DefaultProvider, StringComparison.OrdinalIgnoreCase);
                var now = string.Equals(after.Resolve(id, user), tenant.DefaultProvider, StringComparison.OrdinalIgnoreCase);
                if (!was && now)
                {
                    var key = (id, user.ToLowerInvariant());
                    _failbacks[key] = 0;
                    Log.FailbackQueued(logger, id, key.Item2);
                    _ = PersistFailbackAsync(key);
                }
            }
        }

        _wake.Release();
    }

    private static IEnumerable<string> Overrides(RouteSnapshot snapshot, string tenant) =>
        snapshot.Tenants.TryGetValue(tenant, out var routes) ? routes.UserOverrides.Keys.Select(u => u.ToLowerInvariant()) : [];

    private async Task PersistFailbackAsync((string Tenant, string User) key)
    {
        try
        {
            await users.AddFailbackAsync(key.Tenant, key.User).ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
            Log.StoreUnavailable(logger); // kept in memory; this node still runs it
        }
    }
}
