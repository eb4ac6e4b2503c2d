using System.Text;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// Issue 19, point 3: the MX's continuity copy and the primary copy of one spooled message carry the same
/// <c>X-Continuity-Spool-Id</c>, and the sync matches them by it: a failover never adds a second copy of a message the MX
/// already placed in the sovereign mailbox, even when the message has no Message-ID and the two backends added
/// different trace headers (so no content hash matches either).
/// </summary>
[Trait("Category", "Server")]
public sealed class SpoolIdMatchTests
{
    [Fact]
    public async Task SyncAsync_ContinuityCopyWithoutMessageId_MatchedBySpoolIdNotCopiedAgain()
    {
        await using var harness = SyncHarness.Start();
        var date = new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);
        var body = SeedMessages.Raw(null, "Date: Mon, 02 Jun 2025 09:00:00 +0000", "Subject: no message id", "court order 17");
        byte[] Copy(string trace) => [.. Encoding.ASCII.GetBytes($"Delivered-To: {trace}\r\nX-Continuity-Spool-Id: 01974f3c2a00-a1b2c3d4e5\r\n"), .. body];
        await using (var sovereign = await harness.SovereignMailboxAsync())
        {
            await sovereign.AppendAsync("INBOX", [new SeedMessage(Copy("alice@sovereign"), MessageFlags.None, [], date)]); // the MX's continuity copy
        }

        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", [new SeedMessage(Copy("alice@primary"), MessageFlags.Seen, [], date)]); // the MX's main delivery
        }

        var result = await harness.SyncAsync();

        Assert.True(result.Succeeded, result.Error ?? string.Join("; ", result.Folders.Select(f => f.Error)));
        Assert.Equal((0, 1), (result.Copied, result.Matched));
        await using var check = await harness.SovereignMailboxAsync();
        var inbox = await check.ReadAsync("INBOX");
        Assert.Equal(MessageFlags.Seen, Assert.Single(inbox).Flags & MessageFlags.Seen); // the one copy, with the primary's flags
    }
}
