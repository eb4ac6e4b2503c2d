using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using MailKit.Net.Imap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Tests.Imap;

/// <summary>
/// The IMAP proxy in front of a provider that takes no passwords from the gateway (<c>Mail:Login:Mode</c>
/// <c>OAuth2ClientCredentials</c>): a real Dovecot checks XOAUTH2 tokens with its oauth2 passdb against
/// <see cref="StandInTokenServer"/>'s introspection; the gateway gets its app token by the client-credentials grant
/// and logs in to the backend as the user with it. The mail client only ever sees its app password.
/// </summary>
[Trait("Category", "Server")]
public sealed class ImapAppTokenTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Alice = "alice@demo.test";

    [Fact]
    public async Task Login_OAuth2Provider_ProxyLogsInWithXoauth2ReusesTheTokenAndRenewsItWhenRefused()
    {
        await using var bed = await OAuthBackend.StartAsync();
        var subject = "app-token-" + Guid.NewGuid();
        await ProxyTestBed.AppendAsync(bed.Dovecot, Alice, subject);
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, bed.Settings(StandInTokenServer.ClientSecret));
        var password = await host.NewPasswordAsync(Alice);

        using (var client = await ProxyTestBed.LoginAsync(host.ImapPort, Alice, password))
        {
            Assert.Contains(subject, await ProxyTestBed.SubjectsAsync(client));
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.CondStore), "the backend's post-login capabilities reach the client");
            await client.DisconnectAsync(true);
        }

        using (var again = await ProxyTestBed.LoginAsync(host.ImapPort, Alice, password, useLoginCommand: true))
        {
            await again.NoOpAsync();
            await again.DisconnectAsync(true);
        }

        Assert.Equal(1, bed.Tokens.Issued); // one app token for both sessions
        var log = await File.ReadAllTextAsync(bed.Dovecot.LogPath);
        Assert.Contains($"user=<{Alice}>, method=XOAUTH2", log, StringComparison.Ordinal);
        Assert.DoesNotContain("*" + DovecotServer.MasterUser, log, StringComparison.Ordinal);

        bed.Tokens.RevokeAll(); // the backend refuses the cached token: dropped, a fresh one works
        using (var renewed = await ProxyTestBed.LoginAsync(host.ImapPort, Alice, password))
        {
            Assert.Contains(subject, await ProxyTestBed.SubjectsAsync(renewed));
            await renewed.DisconnectAsync(true);
        }

        Assert.Equal(2, bed.Tokens.Issued);
        Assert.Empty(host.Signals.Raised);
    }

    [Fact]
    public async Task Login_RawClient_GetsTheBackendsTaggedOkWithCapabilities()
    {
        await using var bed = await OAuthBackend.StartAsync();
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, bed.Settings(StandInTokenServer.ClientSecret));
        var password = await host.NewPasswordAsync(Alice);
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();

        await client.SendAsync($"a1 LOGIN {Alice} \"{password}\"\r\n");
        var reply = await client.ReadUntilAsync("a1 ");

        Assert.StartsWith("a1 OK [CAPABILITY IMAP4rev1", reply[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(reply, l => l.StartsWith('+')); // the SASL exchange with the backend stays between gateway and backend
        await client.SendAsync("a2 SELECT INBOX\r\n");
        Assert.StartsWith("a2 OK", (await client.ReadUntilAsync("a2 "))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongClientSecret_UnavailableNotAuthenticationFailed_LoggedWithoutSecrets()
    {
        const string WrongSecret = "not-the-app-secret-91c";
        await using var bed = await OAuthBackend.StartAsync();
        var logs = new RecordingLogs();
        await using var host = await AccessHost.StartAsync(
            redis.ConnectionString, bed.Settings(WrongSecret), s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var password = await host.NewPasswordAsync(Alice);
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();

        await client.SendAsync($"a1 LOGIN {Alice} \"{password}\"\r\n");
        var reply = (await client.ReadUntilAsync("a1 "))[^1];
        await client.SendAsync("a2 NOOP\r\n");
        var still = (await client.ReadUntilAsync("a2 "))[^1];

        Assert.StartsWith("a1 NO [UNAVAILABLE]", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTHENTICATIONFAILED", reply, StringComparison.Ordinal);
        Assert.StartsWith("a2 OK", still, StringComparison.Ordinal); // the session goes on; the client may retry later
        Assert.Equal(0, bed.Tokens.Issued);
        Assert.Empty(host.Signals.Raised); // the gateway's own credential, not a cut-off of alice
        Assert.DoesNotContain("method=XOAUTH2", File.Exists(bed.Dovecot.LogPath) ? await File.ReadAllTextAsync(bed.Dovecot.LogPath) : "", StringComparison.Ordinal);
        var text = logs.Text;
        Assert.Contains("invalid_client", text, StringComparison.Ordinal);
        Assert.Contains(Alice, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TokenEndpointDown_UnavailableThenWorksWhenItIsBack()
    {
        await using var bed = await OAuthBackend.StartAsync(startTokens: false);
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, bed.Settings(StandInTokenServer.ClientSecret));
        var password = await host.NewPasswordAsync(Alice);
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();

        await client.SendAsync($"a1 LOGIN {Alice} \"{password}\"\r\n");
        var down = (await client.ReadUntilAsync("a1 "))[^1];
        await bed.Tokens.StartAsync();
        await client.SendAsync($"a2 LOGIN {Alice} \"{password}\"\r\n");
        var up = (await client.ReadUntilAsync("a2 "))[^1];

        Assert.StartsWith("a1 NO [UNAVAILABLE]", down, StringComparison.Ordinal);
        Assert.StartsWith("a2 OK [CAPABILITY", up, StringComparison.Ordinal);
    }

    /// <summary>A token server and a Dovecot whose oauth2 passdb trusts it (alice and bob; master user still configured but unused).</summary>
    private sealed class OAuthBackend : IAsyncDisposable
    {
        private readonly TempDirectory _dir;

        private OAuthBackend(StandInTokenServer tokens, DovecotServer dovecot, TempDirectory dir) => (Tokens, Dovecot, _dir) = (tokens, dovecot, dir);

        public StandInTokenServer Tokens { get; }

        public DovecotServer Dovecot { get; }

        public static async Task<OAuthBackend> StartAsync(bool startTokens = true)
        {
            var tokens = new StandInTokenServer("demo.test");
            if (startTokens)
            {
                await tokens.StartAsync();
            }

            var dir = new TempDirectory("proxy-oauth2");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755: Dovecot's auth process reads the passdb args
            }

            var dovecot = DovecotServer.Start("oauth", Alice, "bob@demo.test");
            dovecot.ConfigureNamespace('/', new Dictionary<string, string>(), tokens.DovecotSettings(dir.Combine("oauth2.conf")));
            return new OAuthBackend(tokens, dovecot, dir);
        }

        /// <summary>The gateway's settings: primary is this Dovecot, logged in to with the app credential only.</summary>
        public Dictionary<string, string?> Settings(string secret) => new()
        {
            ["Tenants:demo:Providers:primary:Mail:Imap"] = Dovecot.ImapUri,
            ["Tenants:demo:Providers:primary:Mail:Login:Mode"] = "OAuth2ClientCredentials",
            ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:TokenEndpoint"] = Tokens.TokenEndpoint,
            ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:ClientId"] = StandInTokenServer.ClientId,
            ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:ClientSecret"] = secret,
            ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:Scope"] = "imap",
        };

        public async ValueTask DisposeAsync()
        {
            Dovecot.Dispose();
            await Tokens.DisposeAsync();
            _dir.Dispose();
        }
    }
}
