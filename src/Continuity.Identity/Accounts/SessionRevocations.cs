using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Each node's short cache of the accounts' "sessions revoked at" instants, so a request carrying the
/// gateway cookie does not cost a store read (<see cref="SessionValidation"/> asks here). An entry lives
/// <see cref="IdentityOptions.SessionRevocationCacheTtl"/>; an admin's revocation is published on the
/// store's channel (<see cref="AccountStore.SessionsChannel"/>) and every node drops the entry at once,
/// so revocation takes effect everywhere immediately while pub/sub works and within the TTL when a
/// message is lost. After a reconnect (messages may have been missed) the whole cache is dropped.
/// </summary>
internal sealed partial class SessionRevocations(AccountStore accounts, StateStore store, IOptions<IdentityOptions> options, TimeProvider time, ILogger<SessionRevocations> logger) : IDisposable
{
    // Far more entries than one node has signed-in users within a TTL: past it the cache starts over.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Tenant, string Account), Entry> _entries = new();
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    // Bumped on every invalidation: a read that started before one must not cache what it read.
    private long _generation;
    private long _storeReads;

    /// <summary>How many times this node went to the store for a revocation instant (the cache's misses).</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    /// <summary>The instant before which the account's sessions are ended (null: never revoked). Throws <see cref="StateUnavailableException"/> on a miss while the store is down.</summary>
    public async ValueTask<DateTimeOffset?> GetRevokedAtAsync(string tenant, string account, CancellationToken cancellationToken = default)
    {
        var ttl = options.Value.SessionRevocationCacheTtl;
        var now = time.GetUtcNow();
        if (ttl > TimeSpan.Zero && _entries.TryGetValue((tenant, account), out var cached) && now < cached.Until)
        {
            return cached.RevokedAt;
        }

        if (ttl > TimeSpan.Zero && !_subscribed)
        {
            await SubscribeAsync(cancellationToken);
        }

        var generation = Interlocked.Read(ref _generation);
        Interlocked.Increment(ref _storeReads);
        var revokedAt = await accounts.GetSessionsRevokedAtAsync(tenant, account, cancellationToken);
        if (ttl > TimeSpan.Zero && _subscribed && Interlocked.Read(ref _generation) == generation)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[(tenant, account)] = new Entry(revokedAt, now + ttl);
        }

        return revokedAt;
    }

    /// <summary>Ends the account's sessions on every node: the store first, then this node's cache, then the others' through pub/sub.</summary>
    public async Task RevokeAsync(string tenant, string account, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await accounts.RevokeSessionsAsync(tenant, account, at, cancellationToken);
        Forget(tenant, account);
    }

    private void Forget(string tenant, string account)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove((tenant, account), out _);
    }

    private void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>
    /// Once per node, before the first entry is cached (so no entry can miss its invalidation). Without a
    /// subscription nothing is cached: every request reads the store, as before the cache.
    /// </summary>
    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            if (_subscribed)
            {
                return;
            }

            await store.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(accounts.SessionsChannel), (_, message) =>
            {
                if (AccountStore.ParseSessionsMessage(message.ToString()) is { } revoked)
                {
                    Forget(revoked.Tenant, revoked.Account);
                }
                else
                {
                    ForgetAll();
                }
            });
            store.Connection.ConnectionRestored += (_, _) => ForgetAll();
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            Log.NotSubscribed(logger, ex.GetType().Name);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    public void Dispose() => _subscribing.Dispose();

    private readonly record struct Entry(DateTimeOffset? RevokedAt, DateTimeOffset Until);
}
