using System.Text;
using Continuity.Mail.Sync;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>Interrupted runs and reset UIDVALIDITY: no duplicates, nothing missing.</summary>
[Trait("Category", "Server")]
public sealed class ResumeTests
{
    [Fact]
    public async Task SyncAsync_CrashBetweenAppendAndCheckpoint_ResumeMatchesOrphansAndCopiesRest()
    {
        await using var harness = SyncHarness.Start();
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            // Every tenth message has no Message-ID: those are matched by content hash.
            await primary.AppendAsync("INBOX", SeedMessages.Generate("crash", 300).Select((m, i) => i % 10 == 0 ? m with { Raw = DropMessageId(m.Raw) } : m));
        }

        var appends = 0;
        harness.Synchronizer.Hooks = new SyncHooks { AfterAppend = (_, _) => ++appends == 3 ? throw new IOException("gateway killed") : Task.CompletedTask };
        await Assert.ThrowsAsync<IOException>(() => harness.SyncAsync());
        harness.Synchronizer.Hooks = null;

        var resumed = await harness.SyncAsync();

        Assert.True(resumed.Succeeded);
        Assert.Equal(50, resumed.Matched); // the third batch: appended, never recorded
        Assert.Equal(150, resumed.Copied);
        await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
        Assert.Equal(0, (await harness.SyncAsync()).Copied);
    }

    [Fact]
    public async Task SyncAsync_CancelledMidFolder_ResumesWithoutDuplicatesOrGaps()
    {
        await using var harness = SyncHarness.Start();
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", SeedMessages.Generate("cancel", 220));
        }

        using var cancel = new CancellationTokenSource();
        harness.Synchronizer.Hooks = new SyncHooks { AfterAppend = (_, _) => { cancel.Cancel(); return Task.CompletedTask; } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Synchronizer.SyncAsync("demo", SyncHarness.Alice, SyncDirection.Forward, null, cancel.Token));
        harness.Synchronizer.Hooks = null;

        var resumed = await harness.SyncAsync();

        Assert.True(resumed.Succeeded);
        Assert.Equal(170, resumed.Copied); // the first batch was appended and recorded before the cancellation hit
        await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
    }

    [Fact]
    public async Task SyncAsync_UidValidityResetOnPrimary_MatchesExistingCopiesInsteadOfCopying()
    {
        await using var harness = SyncHarness.Start();
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("Projects/2024/Q1", SeedMessages.Generate("reset", 120));
        }

        Assert.Equal(120, (await harness.SyncAsync()).Copied);
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            // Same name, new mailbox (new UIDVALIDITY, new UIDs), same messages plus five new ones.
            var old = await primary.FolderAsync("Projects/2024/Q1");
            var validity = (await GetValidityAsync(old));
            await old.RenameAsync(old.ParentFolder!, "Q1-old");
            var fresh = await primary.FolderAsync("Projects/2024/Q1");
            var moved = await primary.FolderAsync("Projects/2024/Q1-old");
            await moved.OpenAsync(FolderAccess.ReadWrite);
            await moved.MoveToAsync(await moved.SearchAsync(MailKit.Search.SearchQuery.All), fresh);
            await moved.CloseAsync();
            await moved.DeleteAsync();
            Assert.NotEqual(validity, await GetValidityAsync(fresh));
            await primary.AppendAsync("Projects/2024/Q1", SeedMessages.Generate("reset", 5, 500));
        }

        var rescan = await harness.SyncAsync();

        Assert.True(rescan.Succeeded);
        Assert.Equal(5, rescan.Copied);
        Assert.Equal(120, rescan.Matched);
        await FullSyncTests.AssertSameAsync(harness, ["Projects/2024/Q1"]);
    }

    internal static byte[] DropMessageId(byte[] raw) =>
        Encoding.UTF8.GetBytes(string.Join("\r\n", Encoding.UTF8.GetString(raw).Split("\r\n").Where(l => !l.StartsWith("Message-ID:", StringComparison.Ordinal))));

    private static async Task<uint> GetValidityAsync(IMailFolder folder)
    {
        await folder.StatusAsync(StatusItems.UidValidity);
        return folder.UidValidity;
    }
}
