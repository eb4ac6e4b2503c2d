using Continuity.Mail.Sync;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>Primary → sovereign: folders mapped by SPECIAL-USE and name, every message once with flags, keywords, dates.</summary>
[Trait("Category", "Server")]
public sealed class FullSyncTests
{
    /// <summary>Primary folder → where it must land on the sovereign side (SPECIAL-USE, separator '/' → '.').</summary>
    private static readonly Dictionary<string, string> Folders = new()
    {
        ["INBOX"] = "INBOX",
        ["Sent Items"] = "Sent",
        ["Drafts"] = "Drafts",
        ["Deleted Items"] = "Trash",
        ["Projects/2024/Q1"] = "Projects.2024.Q1",
        ["Entwürfe ñ 日本"] = "Entwürfe ñ 日本",
    };

    [Fact]
    public async Task SyncAsync_SeededMailbox_SovereignHoldsSameMessagesFlagsAndDates_AndRerunsCopyNothing()
    {
        await using var harness = SyncHarness.Start();
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", SeedMessages.Generate("inbox", 1400));
            await primary.AppendAsync("Sent Items", SeedMessages.Generate("sent", 250));
            await primary.AppendAsync("Drafts", SeedMessages.Generate("draft", 40));
            await primary.AppendAsync("Deleted Items", SeedMessages.Generate("trash", 110));
            await primary.AppendAsync("Projects/2024/Q1", SeedMessages.Generate("q1", 120));
            await primary.AppendAsync("Entwürfe ñ 日本", SeedMessages.Generate("intl", 80));
        }

        var first = await harness.SyncAsync();

        Assert.True(first.Succeeded, first.Error ?? string.Join("; ", first.Folders.Select(f => f.Error)));
        Assert.Equal(2000, first.Copied);
        await AssertSameAsync(harness);

        // Three more runs: nothing new, nothing copied, nothing touched.
        for (var run = 0; run < 3; run++)
        {
            var again = await harness.SyncAsync();
            Assert.True(again.Succeeded);
            Assert.Equal(0, again.Copied + again.Matched + again.FlagsUpdated);
        }

        await AssertSameAsync(harness);
    }

    [Fact]
    public async Task SyncAsync_NewMessagesAndFlagChanges_CarriedOverOnceAcrossRuns()
    {
        await using var harness = SyncHarness.Start();
        await using var primary = await harness.PrimaryMailboxAsync();
        var uids = await primary.AppendAsync("INBOX", SeedMessages.Generate("inc", 60));
        await primary.AppendAsync("Sent Items", SeedMessages.Generate("incsent", 10));
        Assert.Equal(70, (await harness.SyncAsync()).Copied);

        for (var run = 1; run <= 3; run++)
        {
            await primary.AppendAsync("INBOX", SeedMessages.Generate("inc", 5, 100 * run));
            await primary.StoreAsync("INBOX", uids[run], StoreAction.Add, MessageFlags.Seen | MessageFlags.Flagged, "$Label" + run);
            await primary.StoreAsync("INBOX", uids[10 + run], StoreAction.Remove, MessageFlags.Seen);
            if (run == 1)
            {
                // Message 0 loses every flag and keyword it had: the copy must end with none (IMAP FLAGS ()).
                await primary.StoreAsync("INBOX", uids[0], StoreAction.Remove, MessageFlags.Seen | MessageFlags.Flagged | MessageFlags.Answered, "$Forwarded");
            }

            var result = await harness.SyncAsync();

            Assert.True(result.Succeeded);
            Assert.Equal(5, result.Copied);
            Assert.Equal(0, result.Matched);
            // Run 1: messages 1 and 0; run 2: 2 and 12 (seen → unseen); run 3: 3 (13 was never seen).
            Assert.Equal(run == 3 ? 1 : 2, result.FlagsUpdated);
            await AssertSameAsync(harness, ["INBOX", "Sent Items"]);
        }

        Assert.Equal(0, (await harness.SyncAsync()).Copied);
    }

    internal static async Task AssertSameAsync(SyncHarness harness, IEnumerable<string>? only = null, string user = SyncHarness.Alice)
    {
        await using var primary = await harness.PrimaryMailboxAsync(user);
        await using var sovereign = await harness.SovereignMailboxAsync(user);
        foreach (var source in only ?? Folders.Keys)
        {
            var expected = (await primary.ReadAsync(source)).Select(m => m.Content).Order(StringComparer.Ordinal).ToList();
            var actual = (await sovereign.ReadAsync(Folders[source])).Select(m => m.Content).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.Count == actual.Count, $"{source}: primary {expected.Count} messages, sovereign {actual.Count}");
            Assert.Equal(expected, actual);
        }
    }

    internal static string Map(string primaryFolder) => Folders[primaryFolder];
}
