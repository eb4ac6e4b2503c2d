namespace Continuity.Core.Credentials;

/// <summary>
/// App passwords in the state store.
/// <code>
/// {continuity}:apppw:{user}          SET    ids of the user's app passwords. No TTL.
/// {continuity}:apppw:{user}:{id}     HASH   label, created (unix ms), salt (bytes), hash (PBKDF2-SHA256, 32 bytes),
///                                           iter (iterations), used (unix ms of the last successful login, absent
///                                           before), pending ("1" while a second admin has not approved it: no
///                                           login accepts it). No TTL; removed on revoke.
/// </code>
/// The password itself is never stored. Its first eight characters are its id, so a login checks one hash.
/// Users are lower-case addresses. A successful check is remembered on this node for a while
/// (<see cref="VerifiedPasswordCache"/>), so a client's next login costs one read instead of a KDF.
/// </summary>
public sealed class AppPasswordStore(StateStore store, IOptions<CredentialOptions> options, TimeProvider time)
{
    private readonly VerifiedPasswordCache _verified = new(time);
    private long _hashesComputed;

    // KEYS: index set, password hash. ARGV: id, max, label, created, salt, hash, iter, pending ("1" or "").
    // Returns 1, 0 when the id exists already, -1 when the user holds the maximum.
    private const string CreateScript = """
        if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
        if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[2], 'label', ARGV[3], 'created', ARGV[4], 'salt', ARGV[5], 'hash', ARGV[6], 'iter', ARGV[7])
        if ARGV[8] ~= '' then redis.call('HSET', KEYS[2], 'pending', ARGV[8]) end
        return 1
        """;

    // KEYS: index set, password hash. ARGV: id. Returns 1 when it existed.
    private const string RevokeScript = """
        redis.call('DEL', KEYS[2])
        return redis.call('SREM', KEYS[1], ARGV[1])
        """;

    // KEYS: password hash. Returns 1 when the password exists (and is now usable), 0 when it was revoked meanwhile.
    private const string ActivateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[1], 'pending')
        return 1
        """;

    // KEYS: password hash. ARGV: unix ms. Only touches a password that still exists.
    private const string TouchScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'used', ARGV[1]) end
        return 1
        """;

    private string Index(string user) => store.Keys.Prefix + "apppw:" + user;

    private string Entry(string user, string id) => store.Keys.Prefix + "apppw:" + user + ":" + id;

    /// <summary>
    /// Creates an app password; the returned secret is the only copy. A <paramref name="pending"/> one is refused at
    /// every login until <see cref="ActivateAsync"/> (the two-person rule: a second admin approved it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The user already holds <see cref="AppPasswordOptions.MaxPerUser"/>.</exception>
    public async Task<NewAppPassword> CreateAsync(string user, string label, bool pending = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(label);
        var config = options.Value.AppPasswords;
        if (label.Length > config.MaxLabelLength)
        {
            throw new ArgumentException($"The label is longer than {config.MaxLabelLength} characters.", nameof(label));
        }

        user = user.ToLowerInvariant();
        var created = time.GetUtcNow();
        while (true)
        {
            var secret = AppPasswordFormat.Generate();
            var id = secret[..AppPasswordFormat.IdLength];
            var salt = RandomNumberGenerator.GetBytes(16);
            var hash = AppPasswordFormat.Hash(secret, salt, config.Iterations);
            var result = (long)await store.RunAsync(db => db.ScriptEvaluateAsync(
                CreateScript,
                [Index(user), Entry(user, id)],
                [id, config.MaxPerUser, label, created.ToUnixTimeMilliseconds(), salt, hash, config.Iterations, pending ? "1" : ""]), cancellationToken).ConfigureAwait(false);
            if (result == -1)
            {
                throw new InvalidOperationException($"{user} already holds {config.MaxPerUser} app passwords; revoke one first.");
            }

            if (result == 1)
            {
                return new NewAppPassword(new AppPassword(id, user, label, created, null, pending), AppPasswordFormat.Display(secret));
            }
        }
    }

    /// <summary>The user's app passwords, oldest first.</summary>
    public Task<IReadOnlyList<AppPassword>> ListAsync(string user, CancellationToken cancellationToken = default)
    {
        user = user.ToLowerInvariant();
        return store.ReadAsync<IReadOnlyList<AppPassword>>(async db =>
        {
            var ids = await db.SetMembersAsync(Index(user)).ConfigureAwait(false);
            var list = new List<AppPassword>(ids.Length);
            foreach (var id in ids)
            {
                var fields = (await db.HashGetAllAsync(Entry(user, id.ToString())).ConfigureAwait(false)).ToDictionary(e => e.Name.ToString(), e => e.Value);
                if (fields.Count > 0)
                {
                    list.Add(ToInfo(user, id.ToString(), fields));
                }
            }

            return list.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }

    /// <summary>Makes a pending app password usable; false when it no longer exists.</summary>
    public async Task<bool> ActivateAsync(string user, string id, CancellationToken cancellationToken = default)
    {
        user = user.ToLowerInvariant();
        return (long)await store.RunAsync(db => db.ScriptEvaluateAsync(ActivateScript, [Entry(user, id)]), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Revokes one app password; true when it existed. Logins with it fail from now on, on every node.</summary>
    public async Task<bool> RevokeAsync(string user, string id, CancellationToken cancellationToken = default)
    {
        user = user.ToLowerInvariant();
        var removed = (long)await store.RunAsync(db => db.ScriptEvaluateAsync(RevokeScript, [Index(user), Entry(user, id)], [id]), cancellationToken).ConfigureAwait(false);
        return removed == 1;
    }

    /// <summary>Checks a presented password (constant-time compare) and records its use when it matches.</summary>
    public async Task<AppPasswordCheck> VerifyAsync(string user, string presented, CancellationToken cancellationToken = default)
    {
        var stored = await FindAsync(user, presented, cancellationToken).ConfigureAwait(false);
        var check = Check(stored);
        if (check.Valid)
        {
            await TouchAsync(stored!, cancellationToken).ConfigureAwait(false);
        }

        return check;
    }

    /// <summary>
    /// The first half of <see cref="VerifyAsync"/>, for a caller that overlaps the read with other work (the mail
    /// login asks its throttle meanwhile): one read of the stored record the presented password names (by its id), or
    /// null when the input cannot be an app password or names none (never issued, revoked, pending). No KDF, so a
    /// caller may start it before the throttle has answered. Then <see cref="Check"/>, and after a match
    /// <see cref="TouchAsync"/>.
    /// </summary>
    public async Task<StoredAppPassword?> FindAsync(string user, string presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(presented);
        if (AppPasswordFormat.Normalize(presented) is not { } normalized)
        {
            return null;
        }

        user = user.ToLowerInvariant();
        var id = normalized[..AppPasswordFormat.IdLength];
        var key = Entry(user, id);
        var stored = await store.ReadAsync(db => db.HashGetAsync(key, ["salt", "hash", "iter", "pending"]), cancellationToken).ConfigureAwait(false);
        if (stored[0].IsNull || stored[1].IsNull || !stored[2].TryParse(out int iterations) || iterations < 1 || !stored[3].IsNull)
        {
            return null;
        }

        return new StoredAppPassword(user, id, key, (byte[])stored[0]!, (byte[])stored[1]!, iterations, normalized);
    }

    /// <summary>
    /// The second half: does the presented password match the record? A match seen on this node within
    /// <see cref="AppPasswordOptions.VerifiedCacheDuration"/> is answered from the cache; otherwise the KDF runs (and a
    /// match is remembered; a mismatch never is). No I/O.
    /// </summary>
    public AppPasswordCheck Check(StoredAppPassword? stored)
    {
        if (stored is null)
        {
            return AppPasswordCheck.Invalid;
        }

        var config = options.Value.AppPasswords;
        var cacheOn = config.VerifiedCacheDuration > TimeSpan.Zero && config.VerifiedCacheSize > 0;
        var digest = cacheOn ? _verified.DigestOf(stored.User, stored.Id, stored.Salt, stored.Hash, stored.Iterations, stored.Presented) : default;
        if (!cacheOn || !_verified.Contains(digest))
        {
            Interlocked.Increment(ref _hashesComputed);
            if (!AppPasswordFormat.Verify(stored.Presented, stored.Salt, stored.Iterations, stored.Hash))
            {
                return AppPasswordCheck.Invalid; // failures are never remembered
            }

            if (cacheOn)
            {
                _verified.Add(digest, config.VerifiedCacheDuration, config.VerifiedCacheSize);
            }
        }

        return new AppPasswordCheck(true, stored.Id);
    }

    /// <summary>Records a successful login's time on the password (only while it still exists).</summary>
    public Task TouchAsync(StoredAppPassword stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return store.RunAsync(db => db.ScriptEvaluateAsync(TouchScript, [stored.Key], [now]), cancellationToken);
    }

    /// <summary>How many times this instance ran the KDF to check a password (a test seam for the cache).</summary>
    internal long HashesComputed => Interlocked.Read(ref _hashesComputed);

    /// <summary>Remembered verifications on this node.</summary>
    internal int VerifiedCacheCount => _verified.Count;

    private static AppPassword ToInfo(string user, string id, Dictionary<string, RedisValue> fields)
    {
        static DateTimeOffset? Time(Dictionary<string, RedisValue> f, string name) =>
            f.TryGetValue(name, out var v) && long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;

        return new AppPassword(
            id,
            user,
            fields.TryGetValue("label", out var label) ? label.ToString() : "",
            Time(fields, "created") ?? DateTimeOffset.UnixEpoch,
            Time(fields, "used"),
            fields.ContainsKey("pending"));
    }
}
