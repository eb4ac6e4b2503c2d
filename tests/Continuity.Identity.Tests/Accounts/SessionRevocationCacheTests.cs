using Continuity.Core.State;
using Continuity.Identity.Accounts;
using Continuity.Identity.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Accounts;

/// <summary>
/// The per-node cache of "sessions revoked at" (<see cref="SessionRevocations"/>), two nodes on one redis-server
/// and the nodes' clock held still, so the cache's TTL (5 s) never runs out unless a test moves the clock:
/// a revocation reaches the other node through pub/sub, a warm cache costs no store read, and a lost
/// message is bounded by the TTL.
/// </summary>
[Trait("Category", "Server")]
public sealed class SessionRevocationCacheTests : IAsyncLifetime
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string Redirect = IdentityWorld.NativeRedirect;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private IdentityWorld _world = null!;
    private InProcessGateway _b = null!;

    public async Task InitializeAsync()
    {
        _world = await IdentityWorld.StartAsync(withRelyingParty: false, time: _time);
        _b = await _world.StartNodeBAsync();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Revoke_AtNodeA_SessionRefusedAtNodeBWithoutWaitingForTtl()
    {
        using var alice = new Browser();
        await SignInAsync(alice, _world.A.BaseAddress, "alice@demo.test");
        Assert.True(await HasSessionAtAsync(alice, _b.BaseAddress), "B accepts the session (and caches alice's instant)");
        var readsAtB = _b.Get<SessionRevocations>().StoreReads;

        await _world.A.Get<AccountRevoker>().RevokeAsync("ops@demo.test", "demo", "alice@demo.test", "device stolen");

        // The clock does not move: only the published invalidation can make B read the store again.
        await Eventually.TrueAsync(async () => !await HasSessionAtAsync(alice, _b.BaseAddress), TimeSpan.FromSeconds(10), "B refuses alice's session");
        Assert.True(_b.Get<SessionRevocations>().StoreReads > readsAtB);
        Assert.False(await HasSessionAtAsync(alice, _world.A.BaseAddress));
    }

    [Fact]
    public async Task WarmCache_RequestsWithSessionCookie_NoStoreReadUntilTtlPasses()
    {
        using var bob = new Browser();
        await SignInAsync(bob, _world.A.BaseAddress, "bob@demo.test");
        var cache = _world.A.Get<SessionRevocations>();
        var reads = cache.StoreReads;

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await HasSessionAtAsync(bob, _world.A.BaseAddress));
        }

        var readsWhileWarm = cache.StoreReads - reads;
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await HasSessionAtAsync(bob, _world.A.BaseAddress));
        var readsAfterTtl = cache.StoreReads - reads;

        Assert.True(reads >= 1, "the sign-in itself read the store once");
        Assert.Equal(0, readsWhileWarm);
        Assert.Equal(1, readsAfterTtl);
    }

    [Fact]
    public async Task RevocationMessageLost_NodeBRefusesOnceTtlPasses()
    {
        using var alice = new Browser();
        await SignInAsync(alice, _world.A.BaseAddress, "alice@demo.test");
        Assert.True(await HasSessionAtAsync(alice, _b.BaseAddress));
        var account = (await _world.A.Get<AccountStore>().FindByEmailAsync("demo", "alice@demo.test"))!;
        var store = _world.A.Get<StateStore>();

        // The store changes but no message is published (as when pub/sub drops it).
        await store.Database.HashSetAsync(store.Keys.Prefix + "id:demo:sessions", account.Id, _time.GetUtcNow().ToUnixTimeMilliseconds());
        var withinTtl = await HasSessionAtAsync(alice, _b.BaseAddress);
        _time.Advance(TimeSpan.FromSeconds(6));
        var afterTtl = await HasSessionAtAsync(alice, _b.BaseAddress);

        Assert.True(withinTtl, "within the TTL the cached instant is used");
        Assert.False(afterTtl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("demo")]
    [InlineData("demo\n")]
    [InlineData("\nabc")]
    [InlineData("demo\nabc\nextra")]
    public void ParseSessionsMessage_Malformed_Null(string? message) => Assert.Null(AccountStore.ParseSessionsMessage(message));

    [Fact]
    public async Task MalformedMessage_DropsWholeCache_NextRequestReadsStore()
    {
        using var bob = new Browser();
        await SignInAsync(bob, _b.BaseAddress, "bob@demo.test");
        var cache = _b.Get<SessionRevocations>();
        var reads = cache.StoreReads;
        var store = _world.A.Get<StateStore>();

        await store.Database.PublishAsync(StackExchange.Redis.RedisChannel.Literal(_world.A.Get<AccountStore>().SessionsChannel), "garbage");

        await Eventually.TrueAsync(async () => await HasSessionAtAsync(bob, _b.BaseAddress) && cache.StoreReads > reads, TimeSpan.FromSeconds(10), "B read the store again");
    }

    private static async Task SignInAsync(Browser browser, Uri node, string address)
    {
        var (_, challenge) = Pkce();
        var page = await browser.NavigateAsync(AuthorizeUrl(node, Native, Redirect, challenge), address, stopAt: Redirect);
        Assert.NotNull(page.Query("code"));
    }

    /// <summary>An authorization request with the browser's cookie: a code (session accepted) or the login page.</summary>
    private static async Task<bool> HasSessionAtAsync(Browser browser, Uri node)
    {
        var (_, challenge) = Pkce();
        var page = await browser.NavigateAsync(AuthorizeUrl(node, Native, Redirect, challenge), address: null, stopAt: Redirect);
        return page.Query("code") is not null;
    }
}
