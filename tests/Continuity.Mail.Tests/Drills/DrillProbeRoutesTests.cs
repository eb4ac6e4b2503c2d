using Continuity.Mail.Drills;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Drills;

/// <summary>
/// A drill's probe sender routes one message to the provider the drill named; anything else a sender writes —
/// a guessed token, another recipient, a token past its life — is ordinary mail.
/// </summary>
public sealed class DrillProbeRoutesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Find_IssuedSenderAndRecipient_ReturnsTheDrillsProvider()
    {
        var probes = new DrillProbeRoutes(_time);
        var sender = probes.Issue("Alice@demo.test", "sovereign", "demo.test");
        Assert.StartsWith(DrillProbeRoutes.SenderPrefix, sender, StringComparison.Ordinal);
        Assert.Equal("sovereign", probes.Find(sender, "alice@demo.test"));
        Assert.Equal("sovereign", probes.Find(sender.ToUpperInvariant(), "ALICE@demo.test"));
    }

    [Fact]
    public void Find_GuessedTokenOtherRecipientOrOrdinarySender_IsOrdinaryMail()
    {
        var probes = new DrillProbeRoutes(_time);
        var sender = probes.Issue("alice@demo.test", "sovereign", "demo.test");
        Assert.Null(probes.Find("continuity-drill+00000000000000000000000000000000@demo.test", "alice@demo.test"));
        Assert.Null(probes.Find("continuity-drill+@demo.test", "alice@demo.test"));
        Assert.Null(probes.Find("continuity-drill+", "alice@demo.test"));
        Assert.Null(probes.Find(sender, "bob@demo.test"));
        Assert.Null(probes.Find("dora@counsel.example", "alice@demo.test"));
        Assert.Null(probes.Find(null, "alice@demo.test"));
        Assert.Null(probes.Find("", "alice@demo.test"));
    }

    [Fact]
    public void Find_AfterLifetimeOrForget_IsOrdinaryMail()
    {
        var probes = new DrillProbeRoutes(_time);
        var first = probes.Issue("alice@demo.test", "sovereign", "demo.test");
        var second = probes.Issue("alice@demo.test", "sovereign", "demo.test");
        Assert.NotEqual(first, second);
        probes.Forget(first);
        Assert.Null(probes.Find(first, "alice@demo.test"));
        Assert.Equal("sovereign", probes.Find(second, "alice@demo.test"));
        _time.Advance(DrillProbeRoutes.Lifetime);
        Assert.Null(probes.Find(second, "alice@demo.test"));
    }
}
