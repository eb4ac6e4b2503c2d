using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Core.Signals;

namespace Continuity.Core.Tests.State;

/// <summary>
/// A provider cutting off an organisation user by user: once the tenant's threshold of distinct users is reached within
/// the window, one tenant-wide signal follows the user ones. Run against a real redis-server and the embedded Garnet.
/// </summary>
[Trait("Category", "Server")]
public abstract class TenantSignalContractTests<TBackend>(TBackend backend) : IClassFixture<TBackend>
    where TBackend : class, IStoreBackend
{
    private static readonly string[] Staff = ["alice@demo.test", "bob@demo.test", "carol@demo.test", "dave@demo.test", "erin@demo.test"];

    private async Task<CoreHarness> NewHarnessAsync(AutomaticFailover policy, int users, int windowMinutes = 10)
    {
        var h = new CoreHarness(backend.ConnectionString, t =>
        {
            t.Failover.Automatic = policy;
            t.Failover.TenantSignalUsers = users;
            t.Failover.TenantSignalWindow = TimeSpan.FromMinutes(windowMinutes);
        });
        await h.Users.AddAsync("demo", Staff[2..]);
        await h.SyncTableAsync();
        return h;
    }

    private static CutoffSignal Refused(string user, string source = "imap") =>
        new("demo", user, "primary", source, "NO [AUTHENTICATIONFAILED] account disabled");

    [Fact]
    public async Task RaiseAsync_ThirdDistinctUserWithinWindow_OneTenantWideSuggestion()
    {
        using var h = await NewHarnessAsync(AutomaticFailover.Suggest, users: 3);

        await h.Signals.RaiseAsync(Refused("alice@demo.test"));
        await h.Signals.RaiseAsync(Refused("alice@demo.test", "identity")); // the same user twice counts once
        h.Time.Advance(TimeSpan.FromMinutes(4));
        await h.Signals.RaiseAsync(Refused("bob@demo.test"));
        Assert.DoesNotContain(await h.Failover.ListPendingAsync(), r => r.User is null);

        var carol = await h.Signals.RaiseAsync(Refused("carol@demo.test", "mx"));
        await h.Signals.RaiseAsync(Refused("dave@demo.test"));

        Assert.Equal(CutoffSignalOutcome.Suggested, carol); // the user's own outcome
        var pending = await h.Failover.ListPendingAsync();
        Assert.Equal(["alice@demo.test", "bob@demo.test", "carol@demo.test", "dave@demo.test"], pending.Where(r => r.User is not null).Select(r => r.User).Order());
        var tenantWide = Assert.Single(pending, r => r.User is null); // dave, the fourth, adds no second one
        Assert.Equal(("primary", "sovereign"), (tenantWide.From, tenantWide.To));
        Assert.Contains("3 users of demo cut off by primary within 10 min", tenantWide.Evidence, StringComparison.Ordinal);
        Assert.Contains("carol@demo.test (mx): NO [AUTHENTICATIONFAILED] account disabled", tenantWide.Evidence, StringComparison.Ordinal);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "erin@demo.test")); // suggested, not applied
    }

    [Fact]
    public async Task RaiseAsync_UsersSpreadBeyondWindow_OnlyUsersInsideTheWindowCount()
    {
        using var h = await NewHarnessAsync(AutomaticFailover.Suggest, users: 3);

        await h.Signals.RaiseAsync(Refused("alice@demo.test"));
        h.Time.Advance(TimeSpan.FromMinutes(6));
        await h.Signals.RaiseAsync(Refused("bob@demo.test"));
        h.Time.Advance(TimeSpan.FromMinutes(6)); // alice's signal is 12 minutes old now
        await h.Signals.RaiseAsync(Refused("carol@demo.test"));
        Assert.DoesNotContain(await h.Failover.ListPendingAsync(), r => r.User is null);

        h.Time.Advance(TimeSpan.FromMinutes(1)); // bob, carol and dave within 7 minutes
        await h.Signals.RaiseAsync(Refused("dave@demo.test"));

        var tenantWide = Assert.Single(await h.Failover.ListPendingAsync(), r => r.User is null);
        Assert.Contains("3 users of demo", tenantWide.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseAsync_ApplyPolicyThresholdReached_TenantDefaultMovesUsersWithoutSignalsToo()
    {
        using var h = await NewHarnessAsync(AutomaticFailover.Apply, users: 2);
        await h.Routes.ChangeAsync(new RouteChange("demo", "erin@demo.test", "primary", "ops", "erin stays on primary"));
        await h.SyncTableAsync();

        Assert.Equal(CutoffSignalOutcome.Applied, await h.Signals.RaiseAsync(Refused("alice@demo.test")));
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "dave@demo.test"));
        Assert.Equal(CutoffSignalOutcome.Applied, await h.Signals.RaiseAsync(Refused("bob@demo.test")));

        var routes = await h.Routes.LoadAsync();
        Assert.Equal("sovereign", routes.Resolve("demo", null));
        Assert.Equal("sovereign", routes.Resolve("demo", "dave@demo.test")); // no signal of his own
        Assert.Equal("primary", routes.Resolve("demo", "erin@demo.test")); // an admin's override stands
        Assert.Contains(await h.Audit.TailAsync("demo", 20), r => r.User is null && r.After == "sovereign" && r.Details?.Contains("2 users of demo cut off by primary", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task RaiseAsync_SignalsSplitAcrossTwoNodes_CountedTogetherAndRaisedOnce()
    {
        var prefix = "{t" + Guid.NewGuid().ToString("N")[..12] + "}:";
        void Policy(TenantOptions t) => (t.Failover.Automatic, t.Failover.TenantSignalUsers) = (AutomaticFailover.Off, 3);
        using var a = new CoreHarness(backend.ConnectionString, Policy, prefix);
        using var b = new CoreHarness(backend.ConnectionString, Policy, prefix);
        await a.SyncTableAsync();
        await b.SyncTableAsync();

        await a.Signals.RaiseAsync(Refused("alice@demo.test"));
        await b.Signals.RaiseAsync(Refused("bob@demo.test"));
        await a.Signals.RaiseAsync(Refused("carol@demo.test"));
        await b.Signals.RaiseAsync(Refused("dave@demo.test")); // over the threshold on the other node: no second one
        await a.Signals.RaiseAsync(Refused("erin@demo.test"));

        var records = (await a.Audit.TailAsync("demo", 20)).Where(r => r.Action == "signal.recorded").ToList();
        Assert.Equal(5, records.Count(r => r.User is not null));
        var tenantWide = Assert.Single(records, r => r.User is null);
        Assert.Contains("3 users of demo cut off by primary", tenantWide.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseAsync_ThresholdOffOrSignalsNotActedOn_NoTenantWideSignal()
    {
        using var off = await NewHarnessAsync(AutomaticFailover.Suggest, users: 0);
        foreach (var user in Staff)
        {
            await off.Signals.RaiseAsync(Refused(user));
        }

        Assert.Equal(Staff.Length, (await off.Failover.ListPendingAsync()).Count);
        Assert.DoesNotContain(await off.Failover.ListPendingAsync(), r => r.User is null);

        using var moved = await NewHarnessAsync(AutomaticFailover.Suggest, users: 2);
        await moved.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "moved earlier"));
        await moved.SyncTableAsync();
        Assert.Equal(CutoffSignalOutcome.NotRouted, await moved.Signals.RaiseAsync(Refused("alice@demo.test"))); // primary no longer serves her
        await moved.Signals.RaiseAsync(Refused("bob@demo.test"));

        Assert.DoesNotContain(await moved.Failover.ListPendingAsync(), r => r.User is null);
    }
}

[Trait("Category", "Server")]
public sealed class RedisTenantSignalContractTests(RedisBackend backend) : TenantSignalContractTests<RedisBackend>(backend);

public sealed class GarnetTenantSignalContractTests(GarnetBackend backend) : TenantSignalContractTests<GarnetBackend>(backend);
