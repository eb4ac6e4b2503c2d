using StackExchange.Redis;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Accounts and their upstream links in the state store, four hashes per tenant (no TTL):
/// <code>
/// {continuity}:id:{tenant}:accounts   HASH  account id → Account JSON
/// {continuity}:id:{tenant}:emails     HASH  address (lower case) → account id
/// {continuity}:id:{tenant}:links      HASH  "link|{provider}|{issuer}|{subject}" → account id;
///                                           "slot|{account}|{provider}|{issuer}" → the one subject of that upstream linked to the account
/// {continuity}:id:{tenant}:sessions   HASH  account id → unix ms: gateway sessions started at or before it are ended (admin revocation)
/// {continuity}:id:sessions:revoked    CHANNEL "{tenant}\n{account id}" after each revocation: nodes drop their cached instant
/// </code>
/// Linking (and importing) is one script over the first three keys (all passed in KEYS, so Garnet runs
/// it atomically): an address gets at most one subject per upstream, whichever node links first.
/// </summary>
internal sealed partial class AccountStore(StateStore store)
{
    // KEYS: accounts, emails, links. ARGV: link field, email, new account id, new account JSON, slot suffix ("{provider}|{issuer}"), subject.
    // Returns { outcome, account id } with outcome 'existing' | 'created' | 'conflict'.
    private const string LinkScript = """
        local linked = redis.call('HGET', KEYS[3], ARGV[1])
        if linked then return { 'existing', linked } end
        local account = redis.call('HGET', KEYS[2], ARGV[2])
        if not account then
          account = ARGV[3]
          redis.call('HSET', KEYS[2], ARGV[2], account)
          redis.call('HSET', KEYS[1], account, ARGV[4])
        end
        local slot = 'slot|' .. account .. '|' .. ARGV[5]
        local holder = redis.call('HGET', KEYS[3], slot)
        if holder and holder ~= ARGV[6] then return { 'conflict', account } end
        redis.call('HSET', KEYS[3], ARGV[1], account)
        redis.call('HSET', KEYS[3], slot, ARGV[6])
        return { 'created', account }
        """;

    public Task<Account?> FindByLinkAsync(string tenant, string provider, string issuer, string subject, CancellationToken cancellationToken = default) =>
        store.ReadAsync<Account?>(async db =>
        {
            var id = await db.HashGetAsync(LinksKey(tenant), LinkField(provider, issuer, subject)).ConfigureAwait(false);
            return id.IsNull ? null : await ReadAsync(db, tenant, id.ToString()).ConfigureAwait(false);
        }, cancellationToken);

    public Task<Account?> FindByIdAsync(string tenant, string id, CancellationToken cancellationToken = default) =>
        store.ReadAsync(db => ReadAsync(db, tenant, id), cancellationToken);

    public Task<Account?> FindByEmailAsync(string tenant, string email, CancellationToken cancellationToken = default) =>
        store.ReadAsync<Account?>(async db =>
        {
            var id = await db.HashGetAsync(EmailsKey(tenant), email.ToLowerInvariant()).ConfigureAwait(false);
            return id.IsNull ? null : await ReadAsync(db, tenant, id.ToString()).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Links the upstream subject to the account of <paramref name="email"/> (made if none). No policy here: callers decide who may link.</summary>
    public Task<LinkResult> LinkAsync(string tenant, string provider, string issuer, string subject, string email, string? name, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            email = email.ToLowerInvariant();
            var newAccount = new Account(NewId(), tenant, email, name);
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(LinkScript,
                [AccountsKey(tenant), EmailsKey(tenant), LinksKey(tenant)],
                [LinkField(provider, issuer, subject), email, newAccount.Id, JsonSerializer.Serialize(newAccount, AccountJsonContext.Default.Account), provider + "|" + issuer, subject]).ConfigureAwait(false))!;
            var outcome = result[0].ToString() switch
            {
                "existing" => LinkOutcome.Existing,
                "created" => LinkOutcome.Created,
                _ => LinkOutcome.Conflict,
            };
            return new LinkResult(outcome, await ReadAsync(db, tenant, result[1].ToString()!).ConfigureAwait(false));
        }, cancellationToken);

    private async Task<Account?> ReadAsync(IDatabase db, string tenant, string id)
    {
        var json = await db.HashGetAsync(AccountsKey(tenant), id).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize(json.ToString(), AccountJsonContext.Default.Account);
    }

    /// <summary>The upstream links of an account: (provider, issuer, subject), from its slots (a scan of the tenant's links hash).</summary>
    public Task<List<AccountLink>> ListLinksAsync(string tenant, string accountId, CancellationToken cancellationToken = default) =>
        store.ReadAsync(async db =>
        {
            var links = new List<AccountLink>();
            // Account ids are lower-case hex: nothing in the prefix needs escaping for MATCH.
            await foreach (var entry in db.HashScanAsync(LinksKey(tenant), $"slot|{accountId}|*", pageSize: 500).ConfigureAwait(false))
            {
                var parts = entry.Name.ToString().Split('|', 4);
                if (parts.Length == 4)
                {
                    links.Add(new AccountLink(parts[2], parts[3], entry.Value.ToString()));
                }
            }

            return links.OrderBy(l => l.Provider, StringComparer.Ordinal).ThenBy(l => l.Issuer, StringComparer.Ordinal).ToList();
        }, cancellationToken);

    /// <summary>Gateway sessions of the account started at or before this instant are no longer accepted (null: none revoked).</summary>
    public Task<DateTimeOffset?> GetSessionsRevokedAtAsync(string tenant, string accountId, CancellationToken cancellationToken = default) =>
        store.ReadAsync<DateTimeOffset?>(async db =>
        {
            var value = await db.HashGetAsync(SessionsKey(tenant), accountId).ConfigureAwait(false);
            return value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }, cancellationToken);

    /// <summary>Records the instant and tells every node (<see cref="SessionsChannel"/>) to drop its cached copy.</summary>
    public Task RevokeSessionsAsync(string tenant, string accountId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            await db.HashSetAsync(SessionsKey(tenant), accountId, at.ToUnixTimeMilliseconds()).ConfigureAwait(false);
            return await db.PublishAsync(RedisChannel.Literal(SessionsChannel), tenant + "\n" + accountId).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The channel on which session revocations are announced (see <see cref="SessionRevocations"/>).</summary>
    public string SessionsChannel => store.Keys.Prefix + "id:sessions:revoked";

    /// <summary>The (tenant, account) of a <see cref="SessionsChannel"/> message; null if it is not one.</summary>
    public static (string Tenant, string Account)? ParseSessionsMessage(string? message) =>
        message?.Split('\n') is [{ Length: > 0 } tenant, { Length: > 0 } account] ? (tenant, account) : null;

    private string AccountsKey(string tenant) => store.Keys.Prefix + "id:" + tenant + ":accounts";
    private string EmailsKey(string tenant) => store.Keys.Prefix + "id:" + tenant + ":emails";
    private string LinksKey(string tenant) => store.Keys.Prefix + "id:" + tenant + ":links";
    private string SessionsKey(string tenant) => store.Keys.Prefix + "id:" + tenant + ":sessions";

    private static string LinkField(string provider, string issuer, string subject) => $"link|{provider}|{issuer}|{subject}";

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
