using Continuity.Core.Credentials;
using Continuity.Core.Tests.State;
using StackExchange.Redis;

namespace Continuity.Core.Tests.Credentials;

[Trait("Category", "Server")]
public sealed class AppPasswordStoreTests(RedisBackend redis) : IClassFixture<RedisBackend>
{
    private CredentialHarness New(int iterations = 1_000) => new(redis.ConnectionString, o => o.AppPasswords.Iterations = iterations);

    [Fact]
    public async Task CreateAsync_NewPassword_VerifiesAndRecordsLastUse()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync("Alice@demo.test", "Thunderbird");

        Assert.Matches("^([a-z2-9]{4}-){8}[a-z2-9]{4}$", created.Secret);
        Assert.Equal("alice@demo.test", created.Info.User);
        Assert.Null(created.Info.LastUsedAt);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        var check = await h.Passwords.VerifyAsync("alice@demo.test", created.Secret.ToUpperInvariant().Replace("-", " "));

        Assert.True(check.Valid);
        Assert.Equal(created.Info.Id, check.Id);
        var listed = Assert.Single(await h.Passwords.ListAsync("alice@demo.test"));
        Assert.Equal(h.Time.GetUtcNow(), listed.LastUsedAt);
        Assert.Equal("Thunderbird", listed.Label);
    }

    [Fact]
    public async Task CreateAsync_DefaultIterations_StoresOnlyTheHash()
    {
        using var h = New(iterations: new AppPasswordOptions().Iterations);
        var created = await h.Passwords.CreateAsync("alice@demo.test", "phone");

        var db = h.Store.Database;
        var entry = await db.HashGetAllAsync(h.Store.Keys.Prefix + "apppw:alice@demo.test:" + created.Info.Id);
        var normalized = created.Secret.Replace("-", "");
        Assert.DoesNotContain(entry, e => e.Value.ToString().Contains(normalized[8..], StringComparison.Ordinal));
        Assert.Equal(600_000, (int)entry.Single(e => e.Name == "iter").Value);
        Assert.Equal(32, ((byte[])entry.Single(e => e.Name == "hash").Value!).Length);
        Assert.True((await h.Passwords.VerifyAsync("alice@demo.test", created.Secret)).Valid);
    }

    [Fact]
    public async Task VerifyAsync_WrongSecretOrUserOrGarbage_Invalid()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync("alice@demo.test", "laptop");
        var normalized = created.Secret.Replace("-", "");
        var lastChar = normalized[^1] == 'a' ? 'b' : 'a';

        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", normalized[..^1] + lastChar)).Valid);
        Assert.False((await h.Passwords.VerifyAsync("bob@demo.test", created.Secret)).Valid);
        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", "")).Valid);
        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", "secret")).Valid);
        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", new string('a', 100_000))).Valid);
        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", created.Secret + "\0")).Valid);
        Assert.Null(Assert.Single(await h.Passwords.ListAsync("alice@demo.test")).LastUsedAt);
    }

    [Fact]
    public async Task FindCheckTouch_InSteps_SameAsVerifyAsync()
    {
        using var h = New();
        var created = await h.Passwords.CreateAsync("alice@demo.test", "phone");
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var stored = await h.Passwords.FindAsync("Alice@demo.test", created.Secret);
        var check = h.Passwords.Check(stored);
        Assert.NotNull(stored);
        Assert.True(check.Valid);
        Assert.Equal(created.Info.Id, check.Id);
        Assert.Null(Assert.Single(await h.Passwords.ListAsync("alice@demo.test")).LastUsedAt); // not used until touched
        await h.Passwords.TouchAsync(stored);

        Assert.Equal(h.Time.GetUtcNow(), Assert.Single(await h.Passwords.ListAsync("alice@demo.test")).LastUsedAt);
        Assert.DoesNotContain(created.Secret.Replace("-", "")[8..], stored.ToString(), StringComparison.Ordinal);
        Assert.Null(await h.Passwords.FindAsync("alice@demo.test", "secret"));
        Assert.False(h.Passwords.Check(null).Valid);
    }

    [Fact]
    public void StoredAppPassword_OutsideCore_Opaque()
    {
        var visible = typeof(StoredAppPassword).GetMembers()
            .Where(m => m.DeclaringType == typeof(StoredAppPassword) && m.Name != nameof(ToString))
            .Select(m => m.Name);

        Assert.Empty(visible); // it carries a hash and the presented password: only the store reads them
    }

    [Fact]
    public async Task RevokeAsync_Password_NoLongerVerifiesAndIsNotListed()
    {
        using var h = New();
        var keep = await h.Passwords.CreateAsync("alice@demo.test", "keep");
        var drop = await h.Passwords.CreateAsync("alice@demo.test", "drop");

        Assert.True(await h.Passwords.RevokeAsync("alice@demo.test", drop.Info.Id));
        Assert.False(await h.Passwords.RevokeAsync("alice@demo.test", drop.Info.Id));

        Assert.False((await h.Passwords.VerifyAsync("alice@demo.test", drop.Secret)).Valid);
        Assert.True((await h.Passwords.VerifyAsync("alice@demo.test", keep.Secret)).Valid);
        Assert.Equal(["keep"], (await h.Passwords.ListAsync("alice@demo.test")).Select(p => p.Label));
    }

    [Fact]
    public async Task CreateAsync_BeyondMaximum_Refused()
    {
        using var h = new CredentialHarness(redis.ConnectionString, o => { o.AppPasswords.Iterations = 1; o.AppPasswords.MaxPerUser = 2; });
        await h.Passwords.CreateAsync("alice@demo.test", "a");
        await h.Passwords.CreateAsync("alice@demo.test", "b");

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Passwords.CreateAsync("alice@demo.test", "c"));
        await Assert.ThrowsAsync<ArgumentException>(() => h.Passwords.CreateAsync("bob@demo.test", new string('x', 101)));
        Assert.Equal(2, (await h.Passwords.ListAsync("alice@demo.test")).Count);
    }

    [Fact]
    public async Task CreateAsync_ManyPasswords_AreDistinct()
    {
        using var h = New(iterations: 1);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            secrets.Add((await h.Passwords.CreateAsync("bob@demo.test", "n" + i)).Secret);
        }

        Assert.Equal(40, secrets.Count);
    }

    [Fact]
    public async Task VerifyAsync_StoreDown_ThrowsStateUnavailable()
    {
        using var h = new CredentialHarness("127.0.0.1:1", o => o.AppPasswords.Iterations = 1);

        await Assert.ThrowsAsync<Continuity.Core.State.StateUnavailableException>(() => h.Passwords.VerifyAsync("alice@demo.test", "abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd-abcd"));
    }
}
