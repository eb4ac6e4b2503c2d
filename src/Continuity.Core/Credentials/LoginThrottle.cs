namespace Continuity.Core.Credentials;

/// <summary>
/// Failed-login counters in the state store, so every node sees the same picture.
/// <code>
/// {continuity}:login:fail:pair:{user}|{address}   STRING  failures of that user from that address. TTL: Window, renewed per failure.
/// {continuity}:login:fail:addr:{address}          STRING  failures from that address, any user.  TTL: Window, renewed per failure.
/// {continuity}:login:fail:user:{user}             STRING  failures for that user, any address.   TTL: Window, renewed per failure.
/// </code>
/// Callers ask <see cref="CheckAsync"/> before checking a password (a refusal skips the costly hash), call
/// <see cref="RecordFailureAsync"/> after a wrong one (and wait the returned delay before answering), and
/// <see cref="RecordSuccessAsync"/> after a right one (clears the pair; the address and user counters age out).
/// </summary>
public sealed class LoginThrottle(StateStore store, IOptions<CredentialOptions> options)
{
    // KEYS: pair, addr, user. Returns { pair, addr, user } counts (0 when absent).
    private const string ReadScript = """
        return { tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'),
                 tonumber(redis.call('GET', KEYS[3]) or '0') }
        """;

    // KEYS: pair, addr, user. ARGV: window ms. Returns the new counts.
    private const string FailScript = """
        local r = {}
        for i = 1, 3 do
          r[i] = redis.call('INCR', KEYS[i])
          redis.call('PEXPIRE', KEYS[i], ARGV[1])
        end
        return r
        """;

    private LoginThrottleOptions Options => options.Value.Throttle;

    /// <summary>Whether an attempt may be checked now. Refused attempts are not counted again.</summary>
    public async Task<ThrottleDecision> CheckAsync(string user, string address, CancellationToken cancellationToken = default)
    {
        var counts = await RunAsync(ReadScript, user, address, [], cancellationToken).ConfigureAwait(false);
        return Decide(counts, Options, failing: false);
    }

    /// <summary>
    /// Counts a wrong password; the delay in the answer is to be waited before replying. Takes no token on purpose: a
    /// client that hangs up right after a wrong password is counted all the same.
    /// </summary>
    public async Task<ThrottleDecision> RecordFailureAsync(string user, string address)
    {
        var counts = await RunAsync(FailScript, user, address, [(long)Options.Window.TotalMilliseconds], CancellationToken.None).ConfigureAwait(false);
        return Decide(counts, Options, failing: true);
    }

    /// <summary>A right password: the pair starts afresh.</summary>
    public Task RecordSuccessAsync(string user, string address, CancellationToken cancellationToken = default) =>
        store.RunAsync(db => db.KeyDeleteAsync(Key("pair", user.ToLowerInvariant() + "|" + address)), cancellationToken);

    /// <summary>The rule, on counts: pair and address lock, the user alone only slows.</summary>
    internal static ThrottleDecision Decide((long Pair, long Address, long User) counts, LoginThrottleOptions o, bool failing)
    {
        var locked = counts.Pair >= o.PairLockout || counts.Address >= o.AddressLockout;
        if (locked && !failing)
        {
            return new ThrottleDecision(true, TimeSpan.Zero);
        }

        var justLocked = failing && (counts.Pair == o.PairLockout || counts.Address == o.AddressLockout);
        var excess = Math.Max(counts.Pair - o.FreeFailures, counts.User - o.UserSlowdown);
        if (!failing)
        {
            // Before a check only the user-wide counter slows (the pair's delay was served on its last failure).
            excess = counts.User - o.UserSlowdown;
        }

        return new ThrottleDecision(locked, DelayFor(excess, o), justLocked);
    }

    private static TimeSpan DelayFor(long excess, LoginThrottleOptions o)
    {
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        var factor = Math.Pow(2, Math.Min(excess - 1, 30));
        var delay = o.BaseDelay.TotalMilliseconds * factor;
        return TimeSpan.FromMilliseconds(Math.Min(delay, o.MaxDelay.TotalMilliseconds));
    }

    private async Task<(long, long, long)> RunAsync(string script, string user, string address, RedisValue[] args, CancellationToken cancellationToken)
    {
        user = user.ToLowerInvariant();
        RedisKey[] keys = [Key("pair", user + "|" + address), Key("addr", address), Key("user", user)];
        var result = (RedisResult[])(await store.RunAsync(db => db.ScriptEvaluateAsync(script, keys, args), cancellationToken).ConfigureAwait(false))!;
        return ((long)result[0], (long)result[1], (long)result[2]);
    }

    private string Key(string kind, string value) => store.Keys.Prefix + "login:fail:" + kind + ":" + value;
}
