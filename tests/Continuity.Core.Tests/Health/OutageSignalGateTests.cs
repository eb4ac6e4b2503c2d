using Continuity.Core.Health;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests.Health;

[Trait("Category", "Server")]
public sealed class OutageSignalGateTests
{
    [Fact]
    public void IsDue_DownLongEnoughOncePerOutage_DueAgainOnlyAfterRecovery()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var registry = new BackendHealthRegistry(time);
        var gate = new OutageSignalGate();
        var downAfter = TimeSpan.FromMinutes(2);
        BackendProbeResult Probe(bool up) => registry.Report("demo", "primary", "inbound", "127.0.0.1:24", up, up ? "220 ready" : "refused");

        Assert.False(gate.IsDue(Probe(up: false), downAfter, out _));
        time.Advance(TimeSpan.FromMinutes(2));
        var due = Probe(up: false);
        Assert.True(gate.IsDue(due, downAfter, out var since));
        Assert.Equal(due.DownSince, since);
        gate.MarkSignalled(due);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(gate.IsDue(Probe(up: false), downAfter, out _));

        Assert.False(gate.IsDue(Probe(up: true), downAfter, out _));
        Probe(up: false);
        time.Advance(downAfter);
        Assert.True(gate.IsDue(Probe(up: false), downAfter, out _));
    }

    [Fact]
    public void IsDue_NotMarked_StaysDueSoAFailedRaiseIsRetried()
    {
        var time = new FakeTimeProvider();
        var registry = new BackendHealthRegistry(time);
        var gate = new OutageSignalGate();
        registry.Report("demo", "primary", "imap", "127.0.0.1:143", up: false, "refused");
        time.Advance(TimeSpan.FromMinutes(5));

        var result = registry.Report("demo", "primary", "imap", "127.0.0.1:143", up: false, "refused");

        Assert.True(gate.IsDue(result, TimeSpan.FromMinutes(2), out _));
        Assert.True(gate.IsDue(result, TimeSpan.FromMinutes(2), out _));
    }
}
