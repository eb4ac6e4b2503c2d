using Continuity.Mail.Sync;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// A primary that takes no passwords for the gateway: its Dovecot checks XOAUTH2 tokens through the oauth2 passdb
/// against a stand-in provider's introspection endpoint, which vouches for app-only tokens of the whole domain (see
/// <see cref="StandInTokenServer"/>). The gateway gets its app token by the client-credentials grant.
/// </summary>
[Trait("Category", "Server")]
public sealed class AppTokenTests
{
    [Fact]
    public async Task RunAsync_ClientCredentialsToken_LogsInWithXoauth2ReusesTheTokenAndRenewsItWhenRefused()
    {
        await using var tokens = new StandInTokenServer("demo.test");
        await tokens.StartAsync();
        using var dir = Shared();
        await using var harness = SyncHarness.Start(Settings(tokens, StandInTokenServer.ClientSecret), primaryDovecot: tokens.DovecotSettings(dir.Combine("oauth2.conf")));
        await SeedAsync(harness, "app", 0, 3);
        var runner = harness.Get<MailboxSyncRunner>();

        var first = await RunAsync(runner);
        var second = await RunAsync(runner);

        Assert.Null(first.LastError);
        Assert.Equal(3, first.MessagesCopied);
        Assert.Null(second.LastError);
        Assert.Equal(1, tokens.Issued); // cached across runs
        Assert.True(tokens.Introspected >= 2, "Dovecot checked the token at each login");
        Assert.Contains("user=<alice@demo.test>, method=XOAUTH2", await File.ReadAllTextAsync(harness.Primary.LogPath), StringComparison.Ordinal);

        tokens.RevokeAll();
        await SeedAsync(harness, "app", 3, 1);
        var third = await RunAsync(runner);

        Assert.Null(third.LastError);
        Assert.Equal(1, third.MessagesCopied);
        Assert.Equal(2, tokens.Issued); // refused once, fetched again once
        await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
    }

    [Fact]
    public async Task RunAsync_WrongClientSecret_ClearErrorInStateAndNothingCopied()
    {
        await using var tokens = new StandInTokenServer("demo.test");
        await tokens.StartAsync();
        using var dir = Shared();
        await using var harness = SyncHarness.Start(Settings(tokens, "not-the-secret"), primaryDovecot: tokens.DovecotSettings(dir.Combine("oauth2.conf")));
        await SeedAsync(harness, "wrong", 0, 2);

        var state = await RunAsync(harness.Get<MailboxSyncRunner>());

        Assert.NotNull(state.LastError);
        Assert.Contains("invalid_client", state.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", state.LastError, StringComparison.Ordinal);
        Assert.Equal(0, state.MessagesCopied);
        Assert.Equal(0, tokens.Issued);
        await using var sovereign = await harness.SovereignMailboxAsync();
        Assert.Empty(await sovereign.ReadAsync("INBOX"));
    }

    [Fact]
    public async Task RunAsync_TokenEndpointDown_ErrorThenTheNextRunCopies()
    {
        await using var tokens = new StandInTokenServer("demo.test"); // not started yet
        using var dir = Shared();
        await using var harness = SyncHarness.Start(Settings(tokens, StandInTokenServer.ClientSecret), primaryDovecot: tokens.DovecotSettings(dir.Combine("oauth2.conf")));
        await SeedAsync(harness, "down", 0, 2);
        var runner = harness.Get<MailboxSyncRunner>();

        var down = await RunAsync(runner);
        await tokens.StartAsync();
        var up = await RunAsync(runner);

        Assert.NotNull(down.LastError);
        Assert.Contains("unreachable", down.LastError, StringComparison.Ordinal);
        Assert.Equal(0, down.MessagesCopied);
        Assert.Null(up.LastError);
        Assert.Equal(2, up.MessagesCopied);
        Assert.Equal(2, up.TotalCopied);
    }

    private static Dictionary<string, string?> Settings(StandInTokenServer tokens, string secret) => new()
    {
        ["Tenants:demo:Providers:primary:Mail:Login:Mode"] = "OAuth2ClientCredentials",
        ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:TokenEndpoint"] = tokens.TokenEndpoint,
        ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:ClientId"] = StandInTokenServer.ClientId,
        ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:ClientSecret"] = secret,
        ["Tenants:demo:Providers:primary:Mail:Login:OAuth2:Scope"] = "imap",
    };

    /// <summary>A directory Dovecot's auth process (user dovecot) can read.</summary>
    private static TempDirectory Shared()
    {
        var dir = new TempDirectory("oauth2");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755
        }
        return dir;
    }

    private static async Task SeedAsync(SyncHarness harness, string prefix, int start, int count)
    {
        await using var primary = await harness.PrimaryMailboxAsync();
        await primary.AppendAsync("INBOX", SeedMessages.Generate(prefix, count, start));
    }

    private static async Task<UserSyncState> RunAsync(MailboxSyncRunner runner) =>
        await runner.RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, failbackPending: false, CancellationToken.None)
        ?? throw new InvalidOperationException("lease held elsewhere");
}
