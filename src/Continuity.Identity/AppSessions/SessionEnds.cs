using StackExchange.Redis;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// Signed-out sign-ins, by session id (<see cref="AppSessionClaims.SessionId"/>): a sign-out on the login
/// host or on any app host ends the login-host session and every app-host session made from the same
/// sign-in, on every node, although only the host that saw the sign-out could delete its own cookie.
/// <code>
/// {continuity}:id:{tenant}:ended:{sid}   STRING "1", PX SessionLifetime + 1 h   present = signed out
/// </code>
/// The key outlives every cookie of that sign-in (sliding sessions are re-issued at most SessionLifetime
/// after their last use), so it never needs pruning.
/// </summary>
internal sealed class SessionEnds(StateStore store, IOptions<IdentityOptions> identity)
{
    public Task EndAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        store.RunAsync(db => db.StringSetAsync(Key(tenant, sessionId), "1", identity.Value.SessionLifetime + TimeSpan.FromHours(1), When.Always), cancellationToken);

    public Task<bool> IsEndedAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        store.ReadAsync(db => db.KeyExistsAsync(Key(tenant, sessionId)), cancellationToken);

    private string Key(string tenant, string sessionId) => store.Keys.Prefix + "id:" + tenant + ":ended:" + sessionId;
}
