using System.Diagnostics;
using Continuity.Mail.Sync;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// The user's sync lease over one folder that takes longer than the lease (3 s here, the batches slowed by the
/// after-APPEND seam): renewed between batches, so no other node can take the user mid-folder; and a run whose lease
/// was lost anyway stops at its next batch instead of copying alongside the new holder.
/// </summary>
[Trait("Category", "Server")]
public sealed class LeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RunAsync_FolderLongerThanTheLease_LeaseRenewedBetweenBatchesAndHeldToTheEnd()
    {
        await using var harness = await StartAsync(40);
        var users = harness.Get<SyncUserStore>();
        var clock = new Stopwatch();
        var batches = 0;
        var stolenMidFolder = new List<bool>();
        harness.Synchronizer.Hooks = new SyncHooks
        {
            AfterAppend = async (_, _) =>
            {
                var target = Lease * 0.4 * ++batches; // 1.2 s per batch: four batches take 4.8 s, longer than the 3 s lease
                await Eventually.TrueAsync(() => clock.Elapsed >= target, target + TimeSpan.FromSeconds(5), "the batch's time passes");
                stolenMidFolder.Add(await users.TryAcquireLeaseAsync("demo", SyncHarness.Alice, "other-node:run:x", Lease));
            },
        };

        clock.Start();
        var state = await harness.Get<MailboxSyncRunner>().RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, false, CancellationToken.None);

        Assert.True(clock.Elapsed > Lease);
        Assert.NotNull(state);
        Assert.Null(state.LastError);
        Assert.Equal(40, state.MessagesCopied);
        Assert.Equal(4, stolenMidFolder.Count);
        Assert.All(stolenMidFolder, Assert.False);
        Assert.True(await users.TryAcquireLeaseAsync("demo", SyncHarness.Alice, "other-node:run:y", Lease), "released at the end");
    }

    [Fact]
    public async Task RunAsync_LeaseLostMidFolder_StopsAtTheNextBatchAndTheNextRunCompletesWithoutDuplicates()
    {
        await using var harness = await StartAsync(40);
        var users = harness.Get<SyncUserStore>();
        var taken = false;
        harness.Synchronizer.Hooks = new SyncHooks
        {
            AfterAppend = async (_, _) =>
            {
                if (!taken)
                {
                    // Stalled longer than the lease (a hung backend): another node takes the user as soon as it runs out.
                    await Eventually.TrueAsync(() => users.TryAcquireLeaseAsync("demo", SyncHarness.Alice, "other-node:run:x", Lease), Lease * 4, "the lease runs out");
                    taken = true;
                }
            },
        };

        var runner = harness.Get<MailboxSyncRunner>();
        var lost = await runner.RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, false, CancellationToken.None);

        Assert.True(taken);
        Assert.NotNull(lost);
        Assert.Contains("SyncLeaseLostException", lost.LastError, StringComparison.Ordinal);
        await using (var check = await harness.SovereignMailboxAsync())
        {
            Assert.Equal(10, (await check.ReadAsync("INBOX")).Count); // the batch in flight landed; nothing after it
        }

        harness.Synchronizer.Hooks = null;
        await users.ReleaseLeaseAsync("demo", SyncHarness.Alice, "other-node:run:x");
        var next = await runner.RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, false, CancellationToken.None);

        Assert.NotNull(next);
        Assert.Null(next.LastError);
        await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
    }

    private static async Task<SyncHarness> StartAsync(int messages)
    {
        var harness = SyncHarness.Start(new Dictionary<string, string?>
        {
            ["Mail:Sync:LeaseDuration"] = "00:00:03",
            ["Mail:Sync:CommandTimeout"] = "00:00:02",
            ["Mail:Sync:BatchSize"] = "10",
            ["Mail:Sync:AppendBatchSize"] = "10",
        });
        await using var primary = await harness.PrimaryMailboxAsync();
        await primary.AppendAsync("INBOX", SeedMessages.Generate("lease", messages));
        return harness;
    }
}
