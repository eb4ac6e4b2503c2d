using Continuity.Mail.Sync;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>After an event on the sovereign side, failback brings everything to the primary exactly once.</summary>
[Trait("Category", "Server")]
public sealed class FailbackTests
{
    [Fact]
    public async Task FailbackAsync_MailReceivedSentAndFlaggedDuringEvent_PrimaryHoldsAllOnce_SovereignUnchanged()
    {
        await using var harness = SyncHarness.Start();
        List<uint> primaryInbox;
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            primaryInbox = await primary.AppendAsync("INBOX", SeedMessages.Generate("fb", 100));
            await primary.AppendAsync("Sent Items", SeedMessages.Generate("fbsent", 10));
        }

        Assert.Equal(110, (await harness.SyncAsync()).Copied);

        // The event: alice works on the sovereign side; meanwhile someone also changes message 7 on the primary.
        await using (var sovereign = await harness.SovereignMailboxAsync())
        {
            await sovereign.AppendAsync("INBOX", SeedMessages.Generate("during", 5));
            await sovereign.AppendAsync("Sent", SeedMessages.Generate("sentduring", 3));
            var copies = (await sovereign.ReadAsync("INBOX")).ToDictionary(m => m.MessageId!);
            await sovereign.StoreAsync("INBOX", copies["fb-1@demo.test"].Uid, StoreAction.Add, MessageFlags.Seen | MessageFlags.Flagged);
            await sovereign.StoreAsync("INBOX", copies["fb-3@demo.test"].Uid, StoreAction.Remove, MessageFlags.Seen);
            await sovereign.StoreAsync("INBOX", copies["fb-7@demo.test"].Uid, StoreAction.Add, MessageFlags.Answered, "Erledigt");
        }

        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.StoreAsync("INBOX", primaryInbox[7], StoreAction.Add, MessageFlags.None, "$Label4"); // conflict: sovereign wins
        }

        var before = await ReadSovereignAsync(harness);

        var failback = await harness.SyncAsync(direction: SyncDirection.Failback);

        Assert.True(failback.Succeeded, string.Join("; ", failback.Folders.Select(f => f.Error)));
        Assert.Equal(8, failback.Copied);
        Assert.Equal(3, failback.FlagsUpdated);
        var forward = await harness.SyncAsync();
        Assert.Equal(0, forward.Copied + forward.Matched + forward.FlagsUpdated);
        Assert.Equal(0, (await harness.SyncAsync(direction: SyncDirection.Failback)).Copied);
        await FullSyncTests.AssertSameAsync(harness, ["INBOX", "Sent Items"]);
        Assert.Equal(before, await ReadSovereignAsync(harness));
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            var seven = (await primary.ReadAsync("INBOX")).Single(m => m.MessageId == "fb-7@demo.test");
            Assert.DoesNotContain("$Label4", seven.Keywords, StringComparison.Ordinal);
            Assert.Contains("Erledigt", seven.Keywords, StringComparison.Ordinal);
        }
    }

    private static async Task<List<string>> ReadSovereignAsync(SyncHarness harness)
    {
        await using var sovereign = await harness.SovereignMailboxAsync();
        var all = new List<string>();
        foreach (var folder in await sovereign.FolderNamesAsync())
        {
            all.AddRange((await sovereign.ReadAsync(folder)).Select(m => $"{folder}|{m.Uid}|{m.Content}"));
        }

        return [.. all.Order(StringComparer.Ordinal)];
    }
}
