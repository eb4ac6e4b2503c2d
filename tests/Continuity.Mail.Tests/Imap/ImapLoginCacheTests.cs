using Continuity.Core.Credentials;

namespace Continuity.Mail.Tests.Imap;

/// <summary>The verified-password cache seen through the IMAP proxy: it saves the KDF, never the throttle or a revocation.</summary>
[Trait("Category", "Server")]
public sealed class ImapLoginCacheTests(ProxyTestBed bed) : IClassFixture<ProxyTestBed>
{
    [Fact]
    public async Task Login_SamePasswordTwice_SecondSkipsTheKdf()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("alice@demo.test");

        using (var first = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password))
        {
            Assert.True(first.IsAuthenticated);
        }

        using var second = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password, useLoginCommand: true);

        Assert.True(second.IsAuthenticated);
        Assert.Equal(1, host.Passwords.HashesComputed);
    }

    [Fact]
    public async Task Login_CachedPasswordThenLockout_RightPasswordRefusedFromThatAddressOnly()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, new Dictionary<string, string?>(bed.Settings())
        {
            ["Credentials:Throttle:BaseDelay"] = "00:00:00.001",
            ["Credentials:Throttle:MaxDelay"] = "00:00:00.002",
            ["Mail:Access:MaxAuthFailuresPerConnection"] = "100",
        });
        var password = await host.NewPasswordAsync("alice@demo.test");
        using (var warm = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password))
        {
            Assert.True(warm.IsAuthenticated); // now cached on this node
        }

        await using var attacker = await RawImap.ConnectAsync(host.ImapPort);
        await attacker.ReadLineAsync();
        for (var i = 0; i < 12; i++)
        {
            await attacker.SendAsync($"b{i} LOGIN alice@demo.test \"{password[..^1]}{(password[^1] == 'a' ? 'b' : 'a')}\"\r\n");
            await attacker.ReadLineAsync();
        }

        await attacker.SendAsync($"r1 LOGIN alice@demo.test \"{password}\"\r\n");
        Assert.Equal("r1 NO [UNAVAILABLE] Too many failed logins; try again later", await attacker.ReadLineAsync());
        using var legit = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password, local: "127.0.0.2");
        Assert.True(legit.IsAuthenticated);
        Assert.Equal(1 + 10, host.Passwords.HashesComputed); // the right one once; wrong ones each time until the lockout
    }

    [Fact]
    public async Task Login_CachedPasswordRevokedOnAnotherNode_RefusedAtOnce()
    {
        var shared = new Dictionary<string, string?>(bed.Settings()) { ["State:KeyPrefix"] = "{n" + Guid.NewGuid().ToString("N")[..12] + "}:" };
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, shared);
        await using var other = await AccessHost.StartAsync(bed.Redis.ConnectionString, shared);
        var created = await host.Passwords.CreateAsync("bob@demo.test", "phone");
        using (var warm = await ProxyTestBed.LoginAsync(host.ImapPort, "bob@demo.test", created.Secret))
        {
            Assert.True(warm.IsAuthenticated);
        }

        Assert.True(await other.Get<AppPasswordStore>().RevokeAsync("bob@demo.test", created.Info.Id));

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => ProxyTestBed.LoginAsync(host.ImapPort, "bob@demo.test", created.Secret));
    }
}
