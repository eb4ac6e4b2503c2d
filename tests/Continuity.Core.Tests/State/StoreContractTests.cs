using Continuity.Core.Approvals;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using StackExchange.Redis;

namespace Continuity.Core.Tests.State;

/// <summary>
/// One contract for the state store, run against a real redis-server and against the embedded
/// Garnet: the same scripts, the same answers.
/// </summary>
[Trait("Category", "Server")]
public abstract class StoreContractTests<TBackend>(TBackend backend) : IClassFixture<TBackend>
    where TBackend : class, IStoreBackend
{
    private CoreHarness NewHarness(Action<TenantOptions>? configure = null) => new(backend.ConnectionString, configure);

    [Fact]
    public async Task ChangeAsync_UserOverride_AppliedAuditedAndInSnapshot()
    {
        using var h = NewHarness();

        var result = await h.Routes.ChangeAsync(new RouteChange("demo", "Alice@demo.test", "sovereign", "ops@demo.test", "sanctioned"));

        Assert.Equal(RouteChangeStatus.Applied, result.Status);
        Assert.Equal(1, result.Version);
        Assert.Equal("primary", result.Before);
        var snapshot = await h.Routes.LoadAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal("sovereign", snapshot.Resolve("demo", "alice@demo.test"));
        Assert.Equal("primary", snapshot.Resolve("demo", "bob@demo.test"));
        var audit = Assert.Single(await h.Audit.TailAsync("demo", 10));
        Assert.Equal(("route.changed", "alice@demo.test", "primary", "sovereign", "sanctioned"), (audit.Action, audit.User, audit.Before, audit.After, audit.Reason));
    }

    [Fact]
    public async Task ChangeAsync_TenantDefault_MovesEveryoneWithoutOverride()
    {
        using var h = NewHarness();
        await h.Routes.ChangeAsync(new RouteChange("demo", "bob@demo.test", "primary", "ops", "keep bob"));

        await h.Routes.ChangeAsync(new RouteChange("demo", null, "sovereign", "ops", "tenant cut off"));

        var snapshot = await h.Routes.LoadAsync();
        Assert.Equal("sovereign", snapshot.Resolve("demo", "alice@demo.test"));
        Assert.Equal("sovereign", snapshot.Resolve("demo", null));
        Assert.Equal("primary", snapshot.Resolve("demo", "bob@demo.test"));
    }

    [Fact]
    public async Task ChangeAsync_StaleExpectedVersion_ConflictAndNothingWritten()
    {
        using var h = NewHarness();
        await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "one"));

        var result = await h.Routes.ChangeAsync(new RouteChange("demo", "bob@demo.test", "sovereign", "ops", "two", ExpectedVersion: 0));

        Assert.Equal(RouteChangeStatus.VersionConflict, result.Status);
        Assert.Equal(1, result.Version);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "bob@demo.test"));
        Assert.Single(await h.Audit.TailAsync("demo", 10));
    }

    [Fact]
    public async Task ChangeAsync_AlreadyThere_UnchangedWithoutVersionOrAudit()
    {
        using var h = NewHarness();
        await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "first"));

        var result = await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "again"));
        var tenant = await h.Routes.ChangeAsync(new RouteChange("demo", null, "primary", "ops", "tenant already there"));

        Assert.Equal(RouteChangeStatus.Unchanged, result.Status);
        Assert.Equal(RouteChangeStatus.Unchanged, tenant.Status);
        Assert.Equal(1, await h.Routes.ReadVersionAsync());
        Assert.Single(await h.Audit.TailAsync("demo", 10));
    }

    [Fact]
    public async Task ChangeAsync_PublishesTheNewVersion()
    {
        using var h = NewHarness();
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.Store.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(h.Store.Keys.RouteChannel), (_, v) => received.TrySetResult((long)v));

        await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "publish"));

        Assert.Equal(1, await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ChangeAsync_ConcurrentWritersOnTwoConnections_EveryChangeOnceAndChainIntact()
    {
        using var a = NewHarness();
        using var b = new CoreHarness(backend.ConnectionString, prefix: a.Options.State.KeyPrefix);
        var users = Enumerable.Range(0, 40).Select(i => $"user{i}@demo.test").ToArray();

        await Task.WhenAll(users.Select((u, i) => (i % 2 == 0 ? a : b).Routes.ChangeAsync(new RouteChange("demo", u, "sovereign", "ops", "bulk"))));

        var snapshot = await a.Routes.LoadAsync();
        Assert.Equal(40, snapshot.Version);
        Assert.All(users, u => Assert.Equal("sovereign", snapshot.Resolve("demo", u)));
        var verification = await a.Audit.VerifyAsync("demo");
        Assert.True(verification.Intact, string.Join("; ", verification.Problems));
        Assert.Equal(40, verification.Records);
    }

    [Fact]
    public async Task RefreshAsync_StoreLostItsRoutes_NodeWritesItsSnapshotBackAudited()
    {
        using var h = NewHarness();
        using var service = h.SnapshotService();
        await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "sanctioned"));
        await h.Routes.ChangeAsync(new RouteChange("demo", null, "sovereign", "ops", "tenant cut off"));
        await service.RefreshAsync();
        Assert.Equal(2, h.Table.Current.Version);

        await h.Store.Database.KeyDeleteAsync([h.Store.Keys.RouteVersion, h.Store.Keys.TenantRoutes("demo"), h.Store.Keys.AuditLog("demo"), h.Store.Keys.AuditHead("demo")]);
        await service.RefreshAsync();

        var stored = await h.Routes.LoadAsync();
        Assert.Equal(2, stored.Version);
        Assert.Equal("sovereign", stored.Resolve("demo", "alice@demo.test"));
        Assert.Equal("sovereign", stored.Resolve("demo", "bob@demo.test"));
        Assert.Equal("sovereign", h.Table.Resolve("demo", "alice@demo.test"));
        var record = Assert.Single(await h.Audit.TailAsync(RouteStore.SystemTenant, 10)); // gateway-wide: the "*" chain
        Assert.Equal(("routes.restored", "system:route-restore"), (record.Action, record.Actor));
        Assert.Contains("store was at version 0; restored version 2", record.Details, StringComparison.Ordinal);
        var next = await h.Routes.ChangeAsync(new RouteChange("demo", "bob@demo.test", "primary", "ops", "after restore"));
        Assert.Equal(3, next.Version);
    }

    [Fact]
    public async Task RequestAsync_ConfiguredUserAfterStoreLostTheDirectory_StillKnown()
    {
        using var h = NewHarness(t => t.Users = ["alice@demo.test"]);
        await h.Store.Database.KeyDeleteAsync(h.Store.Keys.Users("demo"));

        var result = await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "store was reset");

        Assert.Equal(RouteChangeStatus.Applied, result.Change!.Status);
    }

    [Fact]
    public async Task RequestAsync_OneApproval_AppliesAtOnce()
    {
        using var h = NewHarness();

        var result = await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "judge sanctioned");

        Assert.Null(result.Pending);
        Assert.Equal(RouteChangeStatus.Applied, result.Change!.Status);
        Assert.Equal("sovereign", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
    }

    [Fact]
    public async Task ApproveAsync_TwoPersonRule_RequesterCannotApproveSecondAdminCan()
    {
        using var h = NewHarness(t => t.Failover.Approvals = 2);
        var pending = (await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "two-person")).Pending!;
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));

        var own = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.ApproveAsync(CoreHarness.Ops, pending.Id));
        Assert.Equal(FailoverErrorKind.Forbidden, own.Kind);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));

        var approved = await h.Failover.ApproveAsync(CoreHarness.Second, pending.Id);

        Assert.Equal(ApprovalStatus.Applied, approved.Status);
        Assert.Equal("sovereign", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
        Assert.Empty(await h.Failover.ListPendingAsync());
        var tail = await h.Audit.TailAsync("demo", 10);
        var changed = tail[^1];
        Assert.Equal(("route.changed", "second@demo.test"), (changed.Action, changed.Actor));
        Assert.Contains("by ops@demo.test", changed.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsync_AfterExpiry_ConflictAndRouteUnchanged()
    {
        using var h = NewHarness(t => { t.Failover.Approvals = 2; t.Failover.ApprovalTimeout = TimeSpan.FromHours(1); });
        var pending = (await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "expires")).Pending!;

        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.ApproveAsync(CoreHarness.Second, pending.Id));

        Assert.Equal(FailoverErrorKind.Conflict, ex.Kind);
        Assert.Equal(ApprovalStatus.Expired, (await h.Failover.GetAsync(pending.Id))!.Status);
        Assert.Empty(await h.Failover.ListPendingAsync());
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
        Assert.Contains(await h.Audit.TailAsync("demo", 10), r => r.Action == "approval.expired");
    }

    [Fact]
    public async Task ExpireDueAsync_BeforeAndAfterTimeout_ExpiresOnlyWhenDue()
    {
        using var h = NewHarness(t => { t.Failover.Approvals = 2; t.Failover.ApprovalTimeout = TimeSpan.FromMinutes(30); });
        await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "bob@demo.test", "sovereign", "expiry sweep");

        h.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await h.Failover.ExpireDueAsync());
        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await h.Failover.ExpireDueAsync());
    }

    [Fact]
    public async Task RejectAsync_PendingRequest_RejectedAndCannotBeApprovedAfter()
    {
        using var h = NewHarness(t => t.Failover.Approvals = 2);
        var pending = (await h.Failover.RequestAsync(CoreHarness.Ops, "demo", "alice@demo.test", "sovereign", "reject me")).Pending!;

        var rejected = await h.Failover.RejectAsync(CoreHarness.Second, pending.Id, "not confirmed");
        var late = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.ApproveAsync(CoreHarness.Second, pending.Id));

        Assert.Equal(ApprovalStatus.Rejected, rejected.Status);
        Assert.Equal(FailoverErrorKind.Conflict, late.Kind);
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
    }

    [Theory]
    [InlineData("demo", "carol@demo.test", "sovereign", "why", FailoverErrorKind.Invalid)]      // unknown user
    [InlineData("demo", "alice@other.test", "sovereign", "why", FailoverErrorKind.Invalid)]     // not the tenant's domain
    [InlineData("demo", "alice@demo.test", "mars", "why", FailoverErrorKind.Invalid)]           // unknown provider
    [InlineData("demo", "alice@demo.test", "sovereign", "   ", FailoverErrorKind.Invalid)]      // empty reason
    [InlineData("nowhere", "alice@demo.test", "sovereign", "why", FailoverErrorKind.NotFound)]  // unknown tenant
    public async Task RequestAsync_BadInput_RefusedAndNothingChanges(string tenant, string user, string to, string reason, FailoverErrorKind kind)
    {
        using var h = NewHarness();

        var ex = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.RequestAsync(CoreHarness.Ops, tenant, user, to, reason));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(0, await h.Routes.ReadVersionAsync());
        Assert.Empty(await h.Audit.TailAsync("demo", 10));
    }

    [Fact]
    public async Task RequestAsync_ViewerOrOtherTenantsAdmin_Forbidden()
    {
        using var h = NewHarness();

        var viewer = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.RequestAsync(CoreHarness.Viewer, "demo", "alice@demo.test", "sovereign", "x"));
        var stranger = await Assert.ThrowsAsync<FailoverException>(() => h.Failover.RequestAsync(CoreHarness.Stranger, "demo", "alice@demo.test", "sovereign", "x"));

        Assert.Equal(FailoverErrorKind.Forbidden, viewer.Kind);
        Assert.Equal(FailoverErrorKind.Forbidden, stranger.Kind);
        Assert.Equal(0, await h.Routes.ReadVersionAsync());
    }

    [Theory]
    [InlineData(AutomaticFailover.Apply, CutoffSignalOutcome.Applied, "sovereign", 0)]
    [InlineData(AutomaticFailover.Suggest, CutoffSignalOutcome.Suggested, "primary", 1)]
    [InlineData(AutomaticFailover.Off, CutoffSignalOutcome.Recorded, "primary", 0)]
    public async Task RaiseAsync_PerPolicy_AppliesSuggestsOrRecords(AutomaticFailover policy, CutoffSignalOutcome expected, string aliceAfter, int pending)
    {
        using var h = NewHarness(t => t.Failover.Automatic = policy);
        await h.SyncTableAsync();
        var signal = new CutoffSignal("demo", "alice@demo.test", "primary", "mx", "550 5.2.1 mailbox disabled");

        var outcome = await h.Signals.RaiseAsync(signal);
        var again = await h.Signals.RaiseAsync(signal);

        Assert.Equal(expected, outcome);
        Assert.Equal(aliceAfter, (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
        Assert.Equal("primary", (await h.Routes.LoadAsync()).Resolve("demo", "bob@demo.test"));
        Assert.Equal(pending, (await h.Failover.ListPendingAsync()).Count); // a repeated signal adds no second request
        Assert.Contains(await h.Audit.TailAsync("demo", 10), r => r.Details?.Contains("550 5.2.1 mailbox disabled", StringComparison.Ordinal) == true);
        if (policy == AutomaticFailover.Suggest)
        {
            Assert.Equal(CutoffSignalOutcome.Suggested, again);
            var request = Assert.Single(await h.Failover.ListPendingAsync());
            var approved = await h.Failover.ApproveAsync(CoreHarness.Ops, request.Id);
            Assert.Equal(ApprovalStatus.Applied, approved.Status);
            Assert.Equal("sovereign", (await h.Routes.LoadAsync()).Resolve("demo", "alice@demo.test"));
        }
    }

    [Fact]
    public async Task RaiseAsync_UserNotOnThatProvider_NothingHappens()
    {
        using var h = NewHarness(t => t.Failover.Automatic = AutomaticFailover.Apply);
        await h.Routes.ChangeAsync(new RouteChange("demo", "alice@demo.test", "sovereign", "ops", "earlier"));
        await h.SyncTableAsync();

        var outcome = await h.Signals.RaiseAsync(new CutoffSignal("demo", "alice@demo.test", "primary", "imap", "NO [AUTHENTICATIONFAILED]"));

        Assert.Equal(CutoffSignalOutcome.NotRouted, outcome);
        Assert.Equal(1, await h.Routes.ReadVersionAsync());
    }
}

[Trait("Category", "Server")]
public sealed class RedisStoreContractTests(RedisBackend backend) : StoreContractTests<RedisBackend>(backend);

public sealed class GarnetStoreContractTests(GarnetBackend backend) : StoreContractTests<GarnetBackend>(backend);
