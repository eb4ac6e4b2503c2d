using Continuity.Core.Credentials;
using Continuity.Core.Tests.State;

namespace Continuity.Core.Tests.Credentials;

/// <summary>The per-node cache of verified app passwords, through <see cref="AppPasswordStore.VerifyAsync"/> on a real redis.</summary>
[Trait("Category", "Server")]
public sealed class VerifiedPasswordCacheTests(RedisBackend redis) : IClassFixture<RedisBackend>
{
    private const string Alice = "alice@demo.test";

    private CredentialHarness New(Action<CredentialOptions>? configure = null, string? prefix = null) =>
        new(redis.ConnectionString, o =>
        {
            o.AppPasswords.Iterations = 1_000;
            configure?.Invoke(o);
        }, prefix);

    [Fact]
    public async Task VerifyAsync_SamePasswordAgain_SkipsTheKdf()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync(Alice, "phone");

        var first = await h.Passwords.VerifyAsync(Alice, created.Secret);
        var second = await h.Passwords.VerifyAsync("ALICE@demo.test", created.Secret.Replace("-", "").ToUpperInvariant());

        Assert.True(first.Valid);
        Assert.True(second.Valid);
        Assert.Equal(created.Info.Id, second.Id);
        Assert.Equal(1, h.Passwords.HashesComputed);
        Assert.Equal(1, h.Passwords.VerifiedCacheCount);
    }

    [Fact]
    public async Task VerifyAsync_CacheHit_StillRecordsLastUse()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync(Alice, "phone");
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);

        Assert.Equal(h.Time.GetUtcNow(), Assert.Single(await h.Passwords.ListAsync(Alice)).LastUsedAt);
    }

    [Fact]
    public async Task VerifyAsync_WrongPasswordAfterRightOne_NeverHitsAndIsNeverCached()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync(Alice, "phone");
        var normalized = created.Secret.Replace("-", "");
        var wrong = normalized[..^1] + (normalized[^1] == 'a' ? 'b' : 'a');
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);

        Assert.False((await h.Passwords.VerifyAsync(Alice, wrong)).Valid);
        Assert.False((await h.Passwords.VerifyAsync(Alice, wrong)).Valid);
        Assert.False((await h.Passwords.VerifyAsync("bob@demo.test", created.Secret)).Valid); // no record: no KDF either
        Assert.False((await h.Passwords.VerifyAsync(Alice, created.Secret + "\0")).Valid);
        Assert.False((await h.Passwords.VerifyAsync(Alice, new string('x', 10_000))).Valid);

        Assert.Equal(3, h.Passwords.HashesComputed); // the right one once, the wrong one each time
        Assert.Equal(1, h.Passwords.VerifiedCacheCount);
    }

    [Fact]
    public async Task VerifyAsync_RevokedOnAnotherNode_FailsAtOnce()
    {
        using var a = New();
        using var b = New(prefix: a.Prefix);
        var created = await a.Passwords.CreateAsync(Alice, "phone");
        Assert.True((await a.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.True((await a.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.Equal(1, a.Passwords.HashesComputed);

        Assert.True(await b.Passwords.RevokeAsync(Alice, created.Info.Id));

        Assert.False((await a.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.Empty(await a.Passwords.ListAsync(Alice));
    }

    [Fact]
    public async Task VerifyAsync_AfterTheDuration_RunsTheKdfAgain()
    {
        using var h = New(o => o.AppPasswords.VerifiedCacheDuration = TimeSpan.FromMinutes(5));
        var created = await h.Passwords.CreateAsync(Alice, "phone");
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);

        h.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.Equal(1, h.Passwords.HashesComputed);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.Equal(2, h.Passwords.HashesComputed);
    }

    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(300, 0)]
    [InlineData(-1, 10_000)]
    public async Task VerifyAsync_CacheTurnedOff_RunsTheKdfEveryTime(int seconds, int size)
    {
        using var h = New(o =>
        {
            o.AppPasswords.VerifiedCacheDuration = TimeSpan.FromSeconds(seconds);
            o.AppPasswords.VerifiedCacheSize = size;
        });
        var created = await h.Passwords.CreateAsync(Alice, "phone");

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        }

        Assert.Equal(3, h.Passwords.HashesComputed);
        Assert.Equal(0, h.Passwords.VerifiedCacheCount);
    }

    [Fact]
    public async Task VerifyAsync_CacheFull_KeepsWorkingAndSweepsExpiredEntries()
    {
        using var h = New(o => o.AppPasswords.VerifiedCacheSize = 2);
        var passwords = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            passwords.Add((await h.Passwords.CreateAsync(Alice, "device " + i)).Secret);
        }

        foreach (var password in passwords)
        {
            Assert.True((await h.Passwords.VerifyAsync(Alice, password)).Valid);
        }

        Assert.Equal(2, h.Passwords.VerifiedCacheCount); // the third was checked but not kept
        Assert.True((await h.Passwords.VerifyAsync(Alice, passwords[2])).Valid);
        Assert.Equal(4, h.Passwords.HashesComputed);

        h.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await h.Passwords.VerifyAsync(Alice, passwords[2])).Valid);
        Assert.Equal(1, h.Passwords.VerifiedCacheCount); // the expired two were swept to make room
    }

    [Fact]
    public async Task VerifyAsync_PasswordRecreatedUnderTheSameId_OldCacheEntryDoesNotMatch()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync(Alice, "phone");
        Assert.True((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        var key = h.Store.Keys.Prefix + "apppw:" + Alice + ":" + created.Info.Id;

        // Same id and secret, new salt and hash (as a re-issue would write): the remembered check is for the old record.
        await h.Store.Database.HashSetAsync(key, "salt", new byte[16]);

        Assert.False((await h.Passwords.VerifyAsync(Alice, created.Secret)).Valid);
        Assert.Equal(2, h.Passwords.HashesComputed);
    }
}
