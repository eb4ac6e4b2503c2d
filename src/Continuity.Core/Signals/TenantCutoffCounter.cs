namespace Continuity.Core.Signals;

/// <summary>
/// Notices a provider cutting off a whole organisation one user at a time: counts the distinct users of a tenant that
/// a provider was seen cutting off (user signals that were acted on) within <see cref="FailoverPolicyOptions.TenantSignalWindow"/>,
/// across every node, and says once per window when the count reaches <see cref="FailoverPolicyOptions.TenantSignalUsers"/>.
/// Layout: a sorted set per tenant and provider (member: the user, score: Unix milliseconds of the latest signal),
/// trimmed to the window on every write and expiring with it; a marker key (<c>SET NX</c>, one window long) so only
/// one node, once, turns the count into a tenant-wide signal.
/// </summary>
internal sealed class TenantCutoffCounter(StateStore store, TimeProvider time)
{
    /// <summary>
    /// Records that <paramref name="provider"/> cut <paramref name="user"/> off. Returns the number of distinct users in
    /// the window when this call is the one that reached the threshold (the caller raises the tenant-wide signal), else null.
    /// </summary>
    public async Task<long?> RecordAsync(string tenant, string provider, string user, FailoverPolicyOptions policy, CancellationToken cancellationToken = default)
    {
        if (policy.TenantSignalUsers <= 0)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = policy.TenantSignalWindow;
        RedisKey users = store.Keys.CutoffUsers(tenant, provider);
        RedisKey marker = store.Keys.TenantCutoffRaised(tenant, provider);
        return await store.RunAsync(async db =>
        {
            var batch = db.CreateBatch();
            var added = batch.SortedSetAddAsync(users, user, now);
            var trimmed = batch.SortedSetRemoveRangeByScoreAsync(users, double.NegativeInfinity, now - window.TotalMilliseconds, Exclude.Stop);
            var count = batch.SortedSetLengthAsync(users);
            var expiry = batch.KeyExpireAsync(users, window);
            batch.Execute();
            await Task.WhenAll(added, trimmed, count, expiry).ConfigureAwait(false);
            if (count.Result < policy.TenantSignalUsers)
            {
                return (long?)null;
            }

            return await db.StringSetAsync(marker, now, window, When.NotExists).ConfigureAwait(false) ? count.Result : null;
        }, cancellationToken).ConfigureAwait(false);
    }
}
