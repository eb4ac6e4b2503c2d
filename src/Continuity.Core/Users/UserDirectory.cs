namespace Continuity.Core.Users;

/// <summary>
/// The addresses a tenant knows (seeded from configuration, imported through the admin API).
/// <code>
/// {continuity}:users:{tenant}   SET   user addresses, lower case. No TTL.
/// </code>
/// </summary>
public sealed class UserDirectory(StateStore store)
{
    public Task<long> AddAsync(string tenant, IEnumerable<string> addresses, CancellationToken cancellationToken = default) =>
        store.RunAsync(db => db.SetAddAsync(store.Keys.Users(tenant), addresses.Select(a => (RedisValue)a.ToLowerInvariant()).ToArray()), cancellationToken);

    public Task<bool> ContainsAsync(string tenant, string address, CancellationToken cancellationToken = default) =>
        store.ReadAsync(db => db.SetContainsAsync(store.Keys.Users(tenant), address.ToLowerInvariant()), cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string tenant, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IReadOnlyList<string>>(async db =>
            (await db.SetMembersAsync(store.Keys.Users(tenant)).ConfigureAwait(false)).Select(v => v.ToString()).Order(StringComparer.Ordinal).ToList(), cancellationToken);
}
