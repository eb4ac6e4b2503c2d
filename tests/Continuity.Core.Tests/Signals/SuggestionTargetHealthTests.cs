using Continuity.Core.Configuration;
using Continuity.Core.Signals;
using Continuity.Core.Tests.State;

namespace Continuity.Core.Tests.Signals;

/// <summary>
/// The honest default: a tenant-wide cut-off signal never becomes a suggestion (or, with <c>Apply</c>, a failover) to a
/// provider that is down itself. What the probers reported is in <see cref="CoreHarness.Backends"/>; the store is the
/// embedded Garnet.
/// </summary>
[Trait("Category", "Server")]
public sealed class SuggestionTargetHealthTests(GarnetBackend backend) : IClassFixture<GarnetBackend>
{
    private const string SovereignIdentity = "http://127.0.0.1:5102/";

    private static readonly CutoffSignal PrimaryDown =
        new("demo", null, "primary", "identity-probe", "identity upstream http://127.0.0.1:5101/ down since 2026-11-28T09:00:00Z: jwks: connection refused");

    private async Task<CoreHarness> NewHarnessAsync(AutomaticFailover policy = AutomaticFailover.Suggest)
    {
        var h = new CoreHarness(backend.ConnectionString, t => t.Failover.Automatic = policy);
        await h.SyncTableAsync();
        return h;
    }

    [Fact]
    public async Task RaiseAsync_TenantSignalWhileTargetDown_NoSuggestionAndAuditedOnceWithWhy()
    {
        using var h = await NewHarnessAsync();
        h.Backends.Report("demo", "sovereign", "identity", SovereignIdentity, up: false, "jwks: connection refused");

        var first = await h.Signals.RaiseAsync(PrimaryDown);
        h.Time.Advance(TimeSpan.FromSeconds(30)); // the prober's next round raises it again
        var second = await h.Signals.RaiseAsync(PrimaryDown);

        Assert.Equal([CutoffSignalOutcome.TargetDown, CutoffSignalOutcome.TargetDown], [first, second]);
        Assert.Empty(await h.Failover.ListPendingAsync());
        var held = Assert.Single(h.Withheld.All);
        Assert.Equal(("primary", "sovereign"), (held.Provider, held.Target));
        Assert.Equal(["identity http://127.0.0.1:5102/: jwks: connection refused"], held.TargetDown);
        Assert.Equal(h.Time.GetUtcNow(), held.LastSeen);
        var recorded = Assert.Single(await h.Audit.TailAsync("demo", 50), r => r.Action == "signal.recorded");
        Assert.Contains("not suggested: sovereign is down too (identity http://127.0.0.1:5102/: jwks: connection refused)", recorded.Reason, StringComparison.Ordinal);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", null));
    }

    [Fact]
    public async Task RaiseAsync_TargetBackUp_NextSignalSuggestsWithItsEvidenceAndHoldEnds()
    {
        using var h = await NewHarnessAsync();
        h.Backends.Report("demo", "sovereign", "identity", SovereignIdentity, up: false, "HTTP 503");
        Assert.Equal(CutoffSignalOutcome.TargetDown, await h.Signals.RaiseAsync(PrimaryDown));

        h.Backends.Report("demo", "sovereign", "identity", SovereignIdentity, up: true, "discovery and jwks OK");
        var outcome = await h.Signals.RaiseAsync(PrimaryDown);

        Assert.Equal(CutoffSignalOutcome.Suggested, outcome);
        var suggestion = Assert.Single(await h.Failover.ListPendingAsync());
        Assert.Equal((null, "primary", "sovereign"), (suggestion.User, suggestion.From, suggestion.To));
        Assert.Equal(PrimaryDown.Evidence, suggestion.Evidence);
        Assert.Empty(h.Withheld.All);
    }

    [Fact]
    public async Task RaiseAsync_ApplyPolicyTargetDown_TenantStaysOnPrimary()
    {
        using var h = await NewHarnessAsync(AutomaticFailover.Apply);
        h.Backends.Report("demo", "sovereign", "inbound", "127.0.0.1:2611", up: false, "connection refused");

        var outcome = await h.Signals.RaiseAsync(PrimaryDown);

        Assert.Equal(CutoffSignalOutcome.TargetDown, outcome);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", null));
    }

    [Fact]
    public async Task RaiseAsync_OnlyThePrimaryIsDown_TenantSuggestionAsBefore()
    {
        using var h = await NewHarnessAsync();
        h.Backends.Report("demo", "primary", "identity", "http://127.0.0.1:5101/", up: false, "jwks: connection refused");
        h.Backends.Report("demo", "sovereign", "identity", SovereignIdentity, up: true, "discovery and jwks OK");

        Assert.Equal(CutoffSignalOutcome.Suggested, await h.Signals.RaiseAsync(PrimaryDown));
        Assert.Single(await h.Failover.ListPendingAsync(), r => r.User is null);
    }

    [Fact]
    public async Task RaiseAsync_RoutesNotLoadedYet_UnavailableThenSuggestedOnceLoaded()
    {
        // Right after start: the probes may report before the node has read its routes.
        using var h = new CoreHarness(backend.ConnectionString);

        var early = await h.Signals.RaiseAsync(PrimaryDown);
        await h.SyncTableAsync();
        var later = await h.Signals.RaiseAsync(PrimaryDown);

        Assert.Equal((CutoffSignalOutcome.Unavailable, CutoffSignalOutcome.Suggested), (early, later));
        Assert.Single(await h.Failover.ListPendingAsync(), r => r.User is null);
    }

    [Fact]
    public async Task RaiseAsync_UserSignalWhileTargetDown_StillSuggestedForThatUser()
    {
        using var h = await NewHarnessAsync();
        h.Backends.Report("demo", "sovereign", "identity", SovereignIdentity, up: false, "HTTP 503");

        var outcome = await h.Signals.RaiseAsync(new CutoffSignal("demo", "alice@demo.test", "primary", "identity", "AADSTS50057"));

        // One person cut off by name needs a decision even while the sovereign side has trouble: an admin weighs it.
        Assert.Equal(CutoffSignalOutcome.Suggested, outcome);
        Assert.Equal("alice@demo.test", Assert.Single(await h.Failover.ListPendingAsync()).User);
    }
}
