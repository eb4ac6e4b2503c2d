using Continuity.Core.Audit;
using Continuity.Core.Routing;
using Continuity.Core.Tests.State;
using StackExchange.Redis;

namespace Continuity.Core.Tests.Audit;

/// <summary>Someone with write access to the store edits, deletes or swaps audit records: verify names each.</summary>
[Trait("Category", "Server")]
public sealed class AuditTamperTests(RedisBackend backend) : IClassFixture<RedisBackend>
{
    private async Task<(CoreHarness H, IDatabase Db, string Key)> ChainOfFourAsync()
    {
        var h = new CoreHarness(backend.ConnectionString);
        foreach (var (user, to) in new[] { ("alice", "sovereign"), ("bob", "sovereign"), ("alice", "primary"), ("bob", "primary") })
        {
            await h.Routes.ChangeAsync(new RouteChange("demo", $"{user}@demo.test", to, "ops@demo.test", $"move {user}"));
        }

        var verification = await h.Audit.VerifyAsync("demo");
        Assert.True(verification.Intact, string.Join("; ", verification.Problems));
        return (h, h.Store.Database, h.Store.Keys.AuditLog("demo"));
    }

    [Fact]
    public async Task VerifyAsync_RecordEdited_ReportsThatRecord()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = (await db.ListGetByIndexAsync(key, 1)).ToString();

        await db.ListSetByIndexAsync(key, 1, second.Replace("\"actor\":\"ops@demo.test\"", "\"actor\":\"someone-else@demo.test\"", StringComparison.Ordinal));
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.StartsWith("record #2: its content does not match its hash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_RecordEditedAndRehashed_ReportsBrokenLinkAfterIt()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = AuditChain.TryParse((await db.ListGetByIndexAsync(key, 1)).ToString())!;
        var forged = second with { Reason = "routine", Hash = "" };

        await db.ListSetByIndexAsync(key, 1, AuditChain.Serialize(forged with { Hash = AuditChain.ComputeHash(forged, h.AuditKey) }));
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.StartsWith("record #3: its link to the previous record is broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_WholeChainRewrittenWithoutTheKey_ReportsEveryRecord()
    {
        // Write access to the store but not to the key file: the attacker rebuilds the whole chain, consistently,
        // with a key of his own (as an unkeyed SHA-256 chain could be rebuilt by anyone).
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var attackersKey = new AuditKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var records = (await db.ListRangeAsync(key)).Select(r => AuditChain.TryParse(r.ToString())!).ToList();
        var prev = "";
        await db.KeyDeleteAsync(key);
        foreach (var record in records)
        {
            var forged = record with { Reason = "routine", Prev = prev, Hash = "" };
            forged = forged with { Hash = AuditChain.ComputeHash(forged, attackersKey) };
            await db.ListRightPushAsync(key, AuditChain.Serialize(forged));
            prev = forged.Hash;
        }

        await db.StringSetAsync(h.Store.Keys.AuditHead("demo"), prev);
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Equal(4, result.Problems.Count(p => p.Contains("its content does not match its hash", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task VerifyAsync_OneTenantsChain_OtherTenantsRecordsNotInIt()
    {
        var (h, _, _) = await ChainOfFourAsync();
        using var __ = h;

        await h.Audit.AppendAsync(new AuditEntry("ops@other.test", "note", "other", Reason: "elsewhere"));

        Assert.Equal(4, (await h.Audit.VerifyAsync("demo")).Records);
        Assert.Equal(1, (await h.Audit.VerifyAsync("other")).Records);
        Assert.DoesNotContain(await h.Audit.TailAsync("demo", 10), r => r.Tenant == "other");
        Assert.Equal(4, (await h.Audit.HeadAsync("demo")).Records);
    }

    [Fact]
    public async Task VerifyAsync_MiddleRecordDeleted_ReportsGap()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = await db.ListGetByIndexAsync(key, 1);

        await db.ListRemoveAsync(key, second);
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Equal(3, result.Records);
        Assert.Contains(result.Problems, p => p.StartsWith("position 2: holds record #3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_TwoRecordsSwapped_ReportsBoth()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = await db.ListGetByIndexAsync(key, 1);
        var third = await db.ListGetByIndexAsync(key, 2);

        await db.ListSetByIndexAsync(key, 1, third);
        await db.ListSetByIndexAsync(key, 2, second);
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.StartsWith("position 2: holds record #3", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith("position 3: holds record #2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_NewestRecordDeleted_ReportsHeadMismatch()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;

        await db.ListRightPopAsync(key);
        var result = await h.Audit.VerifyAsync("demo");

        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.Contains("newest records were removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppendAsync_AfterTampering_NewRecordsStillChainToTheStoredHead()
    {
        var (h, _, _) = await ChainOfFourAsync();
        using var __ = h;

        var record = await h.Audit.AppendAsync(new AuditEntry("ops@demo.test", "note", "demo", Reason: "drill"));

        Assert.Equal(5, record.Seq);
        Assert.True((await h.Audit.VerifyAsync("demo")).Intact);
    }
}
