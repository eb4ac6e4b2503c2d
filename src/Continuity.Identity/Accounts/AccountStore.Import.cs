using StackExchange.Redis;

namespace Continuity.Identity.Accounts;

internal sealed partial class AccountStore
{
    // KEYS: accounts, emails, links. ARGV: per row 6 values: email, new account id, new account JSON,
    // slot suffix ("{provider}|{issuer}"), subject, link field. Every row in one script: no node sees half an import.
    // Returns per row { outcome, account id, other } with outcome
    //   'existing'        the link was already there for this address's account
    //   'created'         the link was made (other = '1' when the account was made too)
    //   'linked-elsewhere' the upstream subject is linked to another account (other = that account's id)
    //   'slot-taken'      the account already has another subject of this upstream (other = that subject)
    private const string ImportScript = """
        local out = {}
        for i = 1, #ARGV, 6 do
          local email, newId, json, suffix, subject, field = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5]
          local account = redis.call('HGET', KEYS[2], email)
          local linked = redis.call('HGET', KEYS[3], field)
          if linked and linked == account then
            table.insert(out, 'existing'); table.insert(out, account); table.insert(out, '')
          elseif linked then
            table.insert(out, 'linked-elsewhere'); table.insert(out, account or ''); table.insert(out, linked)
          else
            local made = '0'
            if not account then
              account = newId
              redis.call('HSET', KEYS[2], email, account)
              redis.call('HSET', KEYS[1], account, json)
              made = '1'
            end
            local slot = 'slot|' .. account .. '|' .. suffix
            local holder = redis.call('HGET', KEYS[3], slot)
            if holder and holder ~= subject then
              table.insert(out, 'slot-taken'); table.insert(out, account); table.insert(out, holder)
            else
              redis.call('HSET', KEYS[3], field, account)
              redis.call('HSET', KEYS[3], slot, subject)
              table.insert(out, 'created'); table.insert(out, account); table.insert(out, made)
            end
          end
        end
        return out
        """;

    /// <summary>
    /// Creates the accounts and links of <paramref name="rows"/> in one atomic script. Rows must be valid
    /// (the caller checked them); a row whose link conflicts with another account is reported, not written.
    /// </summary>
    public Task<List<ImportedLink>> ImportAsync(string tenant, IReadOnlyList<LinkImportRow> rows, CancellationToken cancellationToken = default) =>
        store.RunAsync(async db =>
        {
            var args = new List<RedisValue>(rows.Count * 6);
            foreach (var row in rows)
            {
                var email = row.Email.ToLowerInvariant();
                var account = new Account(NewId(), tenant, email, row.Name);
                args.AddRange([email, account.Id, JsonSerializer.Serialize(account, AccountJsonContext.Default.Account),
                    row.Provider + "|" + row.Issuer, row.Subject, LinkField(row.Provider, row.Issuer!, row.Subject)]);
            }

            var result = (RedisResult[])(await db.ScriptEvaluateAsync(ImportScript, [AccountsKey(tenant), EmailsKey(tenant), LinksKey(tenant)], [.. args]).ConfigureAwait(false))!;
            var imported = new List<ImportedLink>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (outcome, account, other) = (result[i * 3].ToString(), result[(i * 3) + 1].ToString(), result[(i * 3) + 2].ToString());
                imported.Add(outcome switch
                {
                    "existing" => new ImportedLink(rows[i], LinkOutcome.Existing, account, false, null),
                    "created" => new ImportedLink(rows[i], LinkOutcome.Created, account, other == "1", null),
                    "linked-elsewhere" => new ImportedLink(rows[i], LinkOutcome.Conflict, account.Length > 0 ? account : null, false,
                        $"the upstream subject is already linked to another account ({other})"),
                    _ => new ImportedLink(rows[i], LinkOutcome.Conflict, account, false,
                        $"the account already has another subject of this upstream ({other})"),
                });
            }

            return imported;
        }, cancellationToken);
}
