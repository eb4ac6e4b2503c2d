using Continuity.Core.Audit;
using Continuity.Core.Routing;
using Continuity.Core.Tests.State;
using StackExchange.Redis;

namespace Continuity.Core.Tests.Audit;

/// <summary>Someone with write access to the store edits, deletes or swaps audit records: verify names each.</summary>
public sealed class AuditTamperTests(RedisBackend backend) : IClassFixture<RedisBackend>
{
    private async Task<(CoreHarness H, IDatabase Db, string Key)> ChainOfFourAsync()
    {
        var h = new CoreHarness(backend.ConnectionString);
        foreach (var (user, to) in new[] { ("alice", "sovereign"), ("bob", "sovereign"), ("alice", "primary"), ("bob", "primary") })
        {
            await h.Routes.ChangeAsync(new RouteChange("demo", $"{user}@demo.test", to, "ops@demo.test", $"move {user}"));
        }

        var verification = await h.Audit.VerifyAsync();
        Assert.True(verification.Intact, string.Join("; ", verification.Problems));
        return (h, h.Store.Database, h.Store.Keys.AuditLog);
    }

    [Fact]
    public async Task VerifyAsync_RecordEdited_ReportsThatRecord()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = (await db.ListGetByIndexAsync(key, 1)).ToString();

        await db.ListSetByIndexAsync(key, 1, second.Replace("\"actor\":\"ops@demo.test\"", "\"actor\":\"someone-else@demo.test\"", StringComparison.Ordinal));
        var result = await h.Audit.VerifyAsync();

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

        await db.ListSetByIndexAsync(key, 1, AuditChain.Serialize(forged with { Hash = AuditChain.ComputeHash(forged) }));
        var result = await h.Audit.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Contains(result.Problems, p => p.StartsWith("record #3: its link to the previous record is broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_MiddleRecordDeleted_ReportsGap()
    {
        var (h, db, key) = await ChainOfFourAsync();
        using var _ = h;
        var second = await db.ListGetByIndexAsync(key, 1);

        await db.ListRemoveAsync(key, second);
        var result = await h.Audit.VerifyAsync();

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
        var result = await h.Audit.VerifyAsync();

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
        var result = await h.Audit.VerifyAsync();

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
        Assert.True((await h.Audit.VerifyAsync()).Intact);
    }
}
