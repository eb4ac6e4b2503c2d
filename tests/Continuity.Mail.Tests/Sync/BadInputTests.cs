using System.Text;
using MailKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>Messages real mailboxes hold and tidy tools trip over: all copied, none lost, reasons logged.</summary>
[Trait("Category", "Server")]
public sealed class BadInputTests
{
    [Fact]
    public async Task SyncAsync_MessagesWithoutIdsDuplicatesMalformedMimeAndHugeAttachment_AllCopiedOnce()
    {
        await using var harness = SyncHarness.Start();
        var noId1 = SeedMessages.Raw(null, "Date: Mon, 1 Feb 2016 10:00:00 +0000", "Subject: no id 1", "first");
        var noId2 = SeedMessages.Raw(null, "Date: Mon, 1 Feb 2016 10:00:00 +0000", "Subject: no id 2", "second");
        var sameId1 = SeedMessages.Raw("Message-ID: <dup@demo.test>", "Date: Tue, 2 Feb 2016 10:00:00 +0000", "Subject: dup a", "a");
        var sameId2 = SeedMessages.Raw("Message-ID: <dup@demo.test>", "Date: Wed, 3 Feb 2016 10:00:00 +0000", "Subject: dup b", "b");
        var sameIdSameDate = SeedMessages.Raw("Message-ID: <dup@demo.test>", "Date: Wed, 3 Feb 2016 10:00:00 +0000", "Subject: dup c", "c");
        var messages = new[]
        {
            noId1, noId2, noId2, // a true duplicate without Message-ID stays two messages
            sameId1, sameId2, sameIdSameDate, sameIdSameDate,
            Encoding.UTF8.GetBytes(MalformedMime),
            Encoding.Latin1.GetBytes("From: J\u00fcrgen <j@example.org>\r\nSubject: 8bit \u00e4\u00f6\u00fc raw header\r\nBroken header line without colon\r\nMessage-ID: <8bit@demo.test>\r\n\r\nbody \u00e9\r\n"),
            HugeAttachment(30 * 1024 * 1024),
        };
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", messages.Select((raw, i) => new SeedMessage(raw, i % 2 == 0 ? MessageFlags.Seen : MessageFlags.None, [], new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i))));
        }

        var first = await harness.SyncAsync();

        Assert.True(first.Succeeded, string.Join("; ", first.Folders.Select(f => f.Error)));
        Assert.Equal(messages.Length, first.Copied);
        await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
        var again = await harness.SyncAsync();
        Assert.Equal(0, again.Copied + again.Matched);
    }

    private const string MalformedMime =
        "From: x@example.org\r\nMessage-ID: <malformed@demo.test>\r\nSubject: broken multipart\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\npreamble\r\n--outer\r\nContent-Type: text/plain\r\n\r\npart one\r\n" +
        "--outer\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64@@@\r\n" +
        "--inner-never-opened\r\nstray line\r\n"; // no closing --outer--

    private static byte[] HugeAttachment(int bytes)
    {
        var payload = new byte[bytes];
        new Random(7).NextBytes(payload);
        var text = new StringBuilder(bytes * 4 / 3 + 4096);
        text.Append("From: big@example.org\r\nMessage-ID: <huge@demo.test>\r\nSubject: 30 MB\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n")
            .Append("--b\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b--\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
