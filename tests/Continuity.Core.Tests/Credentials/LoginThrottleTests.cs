using Continuity.Core.Credentials;
using Continuity.Core.Tests.State;
using Continuity.Testing;

namespace Continuity.Core.Tests.Credentials;

[Trait("Category", "Server")]
public sealed class LoginThrottleTests(RedisBackend redis) : IClassFixture<RedisBackend>
{
    private const string Alice = "alice@demo.test";

    [Fact]
    public async Task RecordFailureAsync_TwentyWrongPasswords_SlowedThenRefused()
    {
        using var h = new CredentialHarness(redis.ConnectionString);
        var o = h.Options.Throttle;
        var delays = new List<TimeSpan>();
        var refusedFrom = -1;
        for (var i = 1; i <= 20; i++)
        {
            var check = await h.Throttle.CheckAsync(Alice, "192.0.2.7");
            if (check.Refused)
            {
                refusedFrom = refusedFrom < 0 ? i : refusedFrom;
                continue;
            }

            delays.Add((await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7")).Delay);
        }

        Assert.All(delays.Take(o.FreeFailures), d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(o.BaseDelay, delays[o.FreeFailures]);
        Assert.Equal(o.BaseDelay * 2, delays[o.FreeFailures + 1]);
        Assert.True(delays.SequenceEqual(delays.Order()), "delays only grow");
        Assert.Equal(o.MaxDelay, delays[^1]);
        Assert.Equal(o.PairLockout + 1, refusedFrom);
    }

    [Fact]
    public async Task CheckAsync_PairLocked_SameUserFromAnotherAddressAllowed()
    {
        using var h = new CredentialHarness(redis.ConnectionString);
        for (var i = 0; i < 20; i++)
        {
            await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7");
        }

        Assert.True((await h.Throttle.CheckAsync(Alice, "192.0.2.7")).Refused);
        var elsewhere = await h.Throttle.CheckAsync(Alice, "198.51.100.1");
        Assert.False(elsewhere.Refused);
        Assert.Equal(TimeSpan.Zero, elsewhere.Delay);
        Assert.False((await h.Throttle.CheckAsync("bob@demo.test", "192.0.2.7")).Refused);
    }

    [Fact]
    public async Task CheckAsync_AddressSprayingManyUsers_AddressRefused()
    {
        using var h = new CredentialHarness(redis.ConnectionString, o => o.Throttle.AddressLockout = 5);
        ThrottleDecision last = default;
        for (var i = 0; i < 5; i++)
        {
            last = await h.Throttle.RecordFailureAsync($"user{i}@demo.test", "203.0.113.9");
        }

        Assert.True(last.JustLocked);
        Assert.True((await h.Throttle.CheckAsync("someone@demo.test", "203.0.113.9")).Refused);
        Assert.False((await h.Throttle.CheckAsync("someone@demo.test", "203.0.113.10")).Refused);
    }

    [Fact]
    public async Task CheckAsync_UserAttackedFromManyAddresses_SlowedNeverLocked()
    {
        using var h = new CredentialHarness(redis.ConnectionString, o => o.Throttle.UserSlowdown = 4);
        for (var i = 0; i < 6; i++)
        {
            await h.Throttle.RecordFailureAsync(Alice, $"10.0.0.{i}");
        }

        var legit = await h.Throttle.CheckAsync(Alice, "10.9.9.9");
        Assert.False(legit.Refused);
        Assert.Equal(h.Options.Throttle.BaseDelay * 2, legit.Delay);
    }

    [Fact]
    public async Task RecordSuccessAsync_ClearsThePair()
    {
        using var h = new CredentialHarness(redis.ConnectionString);
        for (var i = 0; i < 5; i++)
        {
            await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7");
        }

        await h.Throttle.RecordSuccessAsync(Alice, "192.0.2.7");

        Assert.Equal(TimeSpan.Zero, (await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7")).Delay);
    }

    [Fact]
    public async Task CheckAsync_AfterWindow_Forgotten()
    {
        using var h = new CredentialHarness(redis.ConnectionString, o => { o.Throttle.Window = TimeSpan.FromMilliseconds(300); o.Throttle.PairLockout = 2; });
        await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7");
        await h.Throttle.RecordFailureAsync(Alice, "192.0.2.7");
        Assert.True((await h.Throttle.CheckAsync(Alice, "192.0.2.7")).Refused);

        await Eventually.TrueAsync(async () => !(await h.Throttle.CheckAsync(Alice, "192.0.2.7")).Refused, TimeSpan.FromSeconds(10), "the store expires the counters");
    }

    [Fact]
    public async Task CheckAsync_CountersShared_AcrossNodes()
    {
        using var nodeA = new CredentialHarness(redis.ConnectionString, o => o.Throttle.PairLockout = 3);
        var options = CoreHarness.DemoOptions(Path.GetTempPath(), redis.ConnectionString, nodeA.Store.Keys.Prefix);
        using var storeB = new Continuity.Core.State.StateStore(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var nodeB = new LoginThrottle(storeB, Microsoft.Extensions.Options.Options.Create(nodeA.Options));
        for (var i = 0; i < 3; i++)
        {
            await nodeA.Throttle.RecordFailureAsync(Alice, "192.0.2.7");
        }

        Assert.True((await nodeB.CheckAsync(Alice, "192.0.2.7")).Refused);
    }
}
