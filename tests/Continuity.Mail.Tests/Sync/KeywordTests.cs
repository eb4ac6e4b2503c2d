using Continuity.Mail.Sync;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// A destination that refuses some keywords: the sovereign Dovecot runs with <c>mail_max_keyword_length = 10</c>, so
/// it advertises <c>\*</c> but answers an APPEND or STORE carrying a longer keyword with an error; the primary takes
/// them. Only the refused keywords are dropped, each logged with its reason and counted in the user's sync state.
/// </summary>
[Trait("Category", "Server")]
public sealed class KeywordTests
{
    private const string ShortLimit = "mail_max_keyword_length = 10";

    [Fact]
    public async Task RunAsync_AppendRefusedForOneKeyword_KeepsOtherKeywordsAndCountsTheDroppedOne()
    {
        await using var harness = SyncHarness.Start(sovereignDovecot: ShortLimit);
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", [
                SeedMessages.Make("kw", 1) with { Keywords = ["NotStorableHere", "$Label1", "Work"], Flags = MessageFlags.Seen | MessageFlags.Flagged },
                SeedMessages.Make("kw", 2) with { Keywords = ["Home", "NotStorableHere"] },
                SeedMessages.Make("kw", 3) with { Keywords = ["Private"] },
            ]);
        }

        var state = await harness.Get<MailboxSyncRunner>().RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, failbackPending: false, CancellationToken.None);

        Assert.NotNull(state);
        Assert.Null(state.LastError);
        Assert.Equal(3, state.MessagesCopied);
        Assert.Equal(2, state.KeywordsDropped);
        Assert.Equal(2, state.TotalKeywordsDropped);
        Assert.Equal(2, state.Warnings.Count(w => w.Contains("dropped NotStorableHere", StringComparison.Ordinal)));
        Assert.Contains(state.Warnings, w => w.Contains("refused it (", StringComparison.Ordinal)); // the server's own answer is quoted
        await using var check = await harness.SovereignMailboxAsync();
        var copies = (await check.ReadAsync("INBOX")).ToDictionary(m => m.MessageId!);
        Assert.Equal("$Label1 Work", copies["kw-1@demo.test"].Keywords);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, copies["kw-1@demo.test"].Flags);
        Assert.Equal("Home", copies["kw-2@demo.test"].Keywords);
        Assert.Equal("Private", copies["kw-3@demo.test"].Keywords);

        var again = await harness.SyncAsync();
        Assert.Equal(0, again.Copied + again.Matched + again.FlagsUpdated + again.KeywordsDropped);
    }

    [Fact]
    public async Task SyncAsync_FlagUpdateWithRefusedKeyword_StoresTheAllowedOnes()
    {
        await using var harness = SyncHarness.Start(sovereignDovecot: ShortLimit);
        uint uid;
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            uid = (await primary.AppendAsync("INBOX", [SeedMessages.Make("kwstore", 1) with { Keywords = ["$Label1"] }]))[0];
        }

        Assert.Equal(1, (await harness.SyncAsync()).Copied);
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.StoreAsync("INBOX", uid, StoreAction.Add, MessageFlags.Answered, "WayTooLongForHere", "Urgent");
        }

        var update = await harness.SyncAsync();

        Assert.True(update.Succeeded, string.Join("; ", update.Folders.Select(f => f.Error)));
        Assert.Equal(1, update.FlagsUpdated);
        Assert.Equal(1, update.KeywordsDropped);
        Assert.Contains(update.Warnings, w => w.Contains("dropped WayTooLongForHere", StringComparison.Ordinal) && w.Contains("flags set without it", StringComparison.Ordinal));
        await using var check = await harness.SovereignMailboxAsync();
        var copy = (await check.ReadAsync("INBOX")).Single();
        Assert.Equal("$Label1 Urgent", copy.Keywords);
        Assert.Equal(MessageFlags.Answered, copy.Flags);
    }
}
