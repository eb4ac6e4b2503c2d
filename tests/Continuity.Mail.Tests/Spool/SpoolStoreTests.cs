using System.Buffers;
using System.Text;
using Continuity.Mail.Spool;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Continuity.Mail.Tests.Spool;

public sealed class SpoolStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("spool");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Recover_AfterWriteAndJournal_RestoresEnvelopeBodyAndRecipientStates()
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var message = store.Write(Envelope("m1"), "Received: x\r\n"u8, new ReadOnlySequence<byte>("Subject: s\r\n\r\nbody"u8.ToArray()));
        SpoolStore.Append(message, SpoolJournal.Delivered(0, TargetKind.Main, "sovereign"));
        SpoolStore.Append(message, SpoolJournal.Deferred(1, TargetKind.Main, 2, DateTimeOffset.FromUnixTimeSeconds(1000), "451 4.4.1 down"));
        SpoolStore.Append(message, SpoolJournal.Held(2, "primary", "550 5.2.1 disabled"));

        var recovered = Assert.Single(new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance).Recover());

        Assert.Equal("s@outside.example", recovered.Envelope.From);
        using (var body = SpoolStore.OpenBody(recovered))
        {
            Assert.Equal("Received: x\r\nSubject: s\r\n\r\nbody", new StreamReader(body, Encoding.UTF8).ReadToEnd());
        }

        Assert.Equal((TargetStatus.Delivered, "sovereign"), (recovered.Recipients[0].Main.Status, recovered.Recipients[0].Main.Provider));
        Assert.Equal((TargetStatus.Pending, 2), (recovered.Recipients[1].Main.Status, recovered.Recipients[1].Main.Attempts));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1000), recovered.Recipients[1].Main.NextAttempt);
        Assert.Equal(TargetStatus.Held, recovered.Recipients[2].Main.Status);
    }

    [Fact]
    public void Recover_RecipientsDeletedByAnAdmin_StayDeletedAndWhatWasDoneStays()
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var message = store.Write(Envelope("m4"), [], new ReadOnlySequence<byte>("x"u8.ToArray()));
        SpoolStore.Append(message, SpoolJournal.Delivered(0, TargetKind.Main, "primary"));
        SpoolStore.Append(message, SpoolJournal.Deleted(0));
        SpoolStore.Append(message, SpoolJournal.Held(1, "primary", "550 5.2.1 disabled"));
        SpoolStore.Append(message, SpoolJournal.Deleted(1));

        var recovered = Assert.Single(store.Recover());

        Assert.Equal((true, TargetStatus.Delivered), (recovered.Recipients[0].IsDeleted, recovered.Recipients[0].Main.Status));
        Assert.Equal((true, TargetStatus.Deleted, TargetStatus.Deleted), (recovered.Recipients[1].IsDeleted, recovered.Recipients[1].Main.Status, recovered.Recipients[1].Copy.Status));
        Assert.Equal((false, TargetStatus.Pending), (recovered.Recipients[2].IsDeleted, recovered.Recipients[2].Main.Status));
    }

    [Fact]
    public void Recover_TornJournalLine_IsIgnored()
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var message = store.Write(Envelope("m2"), [], new ReadOnlySequence<byte>("x"u8.ToArray()));
        File.WriteAllText(message.JournalPath, "D 0 main primary\nD 1 main prim"); // crash mid-append

        var recovered = Assert.Single(store.Recover());

        Assert.Equal(TargetStatus.Delivered, recovered.Recipients[0].Main.Status);
        Assert.Equal(TargetStatus.Pending, recovered.Recipients[1].Main.Status);
    }

    [Theory]
    [InlineData("T 1 main abc 1000 451 down\n")]
    [InlineData("T 1 main 2 notanumber 451 down\n")]
    [InlineData("T 1 main 2 99999999999999999999 451 down\n")]
    [InlineData("T 1 main 2 999999999999999999 451 down\n")]
    [InlineData("T 1 main -2 1000 451 down\n")]
    [InlineData("P 1\n")]
    [InlineData("P one main primary 1 lmtp://127.0.0.1:24\n")]
    [InlineData("\u0000\u0000P 1 main primary 1 x\u0000\n")]
    public void Recover_DamagedJournalLine_SkipsThatLineAndLosesNoMessage(string damaged)
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var first = store.Write(Envelope("m4"), [], new ReadOnlySequence<byte>("x"u8.ToArray()));
        File.WriteAllText(first.JournalPath, "D 0 main primary\n" + damaged + "H 2 primary 550 5.2.1 disabled\n");
        store.Write(Envelope("m5"), [], new ReadOnlySequence<byte>("y"u8.ToArray()));

        var recovered = store.Recover();

        Assert.Equal(["m4", "m5"], recovered.Select(m => m.Id));
        var m4 = recovered[0];
        Assert.Equal(TargetStatus.Delivered, m4.Recipients[0].Main.Status);
        Assert.Equal((TargetStatus.Pending, 0), (m4.Recipients[1].Main.Status, m4.Recipients[1].Main.Attempts));
        Assert.Equal(TargetStatus.Held, m4.Recipients[2].Main.Status);
    }

    [Fact]
    public void Recover_AttemptWithoutOutcome_StaysOpenUntilALaterLineClosesIt()
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        var message = store.Write(Envelope("m6"), [], new ReadOnlySequence<byte>("x"u8.ToArray()));
        var at = DateTimeOffset.FromUnixTimeSeconds(200);
        // One transaction's attempts with one fsync, then its outcomes with one fsync (the crash came before alice's D).
        SpoolStore.Append(message, [SpoolJournal.Attempt(0, TargetKind.Main, "primary", at, "lmtp://127.0.0.1:24"), SpoolJournal.Attempt(1, TargetKind.Main, "primary", at, "lmtp://127.0.0.1:24")]);
        SpoolStore.Append(message, [SpoolJournal.Delivered(1, TargetKind.Main, "primary")]);
        // Carol's copy: the connection died after the dot, so the deferral keeps the attempt open (T, then P again).
        SpoolStore.Append(message, [SpoolJournal.Attempt(2, TargetKind.Copy, "sovereign", at, "lmtp://127.0.0.1:25")]);
        SpoolStore.Append(message, [SpoolJournal.Deferred(2, TargetKind.Copy, 1, at, "451 4.4.1 timed out"), SpoolJournal.Attempt(2, TargetKind.Copy, "sovereign", at, "(unanswered)")]);
        // Carol's main: refused at once after its attempt, so the attempt is closed.
        SpoolStore.Append(message, [SpoolJournal.Attempt(2, TargetKind.Main, "primary", at, "lmtp://127.0.0.1:24"), SpoolJournal.Deferred(2, TargetKind.Main, 1, at, "452 4.2.2 over quota")]);

        var recovered = Assert.Single(new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance).Recover());

        Assert.Equal((TargetStatus.Pending, true, "primary"), (recovered.Recipients[0].Main.Status, recovered.Recipients[0].Main.AttemptOpen, recovered.Recipients[0].Main.AttemptProvider));
        Assert.Equal((TargetStatus.Delivered, false), (recovered.Recipients[1].Main.Status, recovered.Recipients[1].Main.AttemptOpen));
        Assert.Equal((TargetStatus.Pending, true, "sovereign", 1), (recovered.Recipients[2].Copy.Status, recovered.Recipients[2].Copy.AttemptOpen, recovered.Recipients[2].Copy.AttemptProvider, recovered.Recipients[2].Copy.Attempts));
        Assert.Equal((TargetStatus.Pending, false), (recovered.Recipients[2].Main.Status, recovered.Recipients[2].Main.AttemptOpen));
        Assert.Equal(8, File.ReadAllText(message.JournalPath).Count(c => c == '\n'));
    }

    [Fact]
    public void Recover_HalfReceivedAndOrphanFiles_AreRemoved()
    {
        var store = new SpoolStore(_dir.Path, NullLogger<SpoolStore>.Instance);
        File.WriteAllText(_dir.Combine("incoming", "never-answered.tmp"), "half a message");
        File.WriteAllText(_dir.Combine("queue", "finished.log"), "D 0 main primary\n");
        var kept = store.Write(Envelope("m3"), [], new ReadOnlySequence<byte>("x"u8.ToArray()));

        Assert.Equal("m3", Assert.Single(store.Recover()).Id);
        Assert.Empty(Directory.GetFiles(_dir.Combine("incoming")));
        Assert.False(File.Exists(_dir.Combine("queue", "finished.log")));

        store.Remove(kept);
        Assert.Empty(store.Recover());
    }

    private static SpoolEnvelope Envelope(string id) => new()
    {
        Id = id,
        From = "s@outside.example",
        Recipients = [new("alice@demo.test", "alice@demo.test", "demo"), new("bob@demo.test", "bob@demo.test", "demo"), new("carol@demo.test", "carol@demo.test", "demo")],
        ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(100),
    };
}
