using System.Diagnostics;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;

namespace Continuity.Mail.Tests.Imap;

/// <summary>The IMAP proxy end to end: MailKit and curl through the gateway to real Dovecots, route changes, cut-off signals.</summary>
[Trait("Category", "Server")]
public sealed class ImapProxyTests(ProxyTestBed bed) : IClassFixture<ProxyTestBed>
{
    [Fact]
    public async Task Login_AppPassword_ReadsPrimaryMailboxWithBackendCapabilities()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var subject = "primary-" + Guid.NewGuid();
        await ProxyTestBed.AppendAsync(bed.Dovecots.Primary, "alice@demo.test", subject);
        var password = await host.NewPasswordAsync("alice@demo.test");

        using var client = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password);

        Assert.Contains(subject, await ProxyTestBed.SubjectsAsync(client));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.CondStore), "the backend's post-login capabilities reach the client");
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.UidPlus));
        await client.DisconnectAsync(true);
        Assert.NotNull(Assert.Single(await host.Passwords.ListAsync("alice@demo.test")).LastUsedAt);
    }

    [Fact]
    public async Task PreLoginCap_LoggedInSessionsDoNotCount_OnlyConnectionsNotYetLoggedIn()
    {
        var settings = bed.Settings();
        settings["Mail:Access:MaxPreLoginConnectionsPerAddress"] = "2";
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, settings);
        var password = await host.NewPasswordAsync("alice@demo.test");

        // Three logged-in sessions from 127.0.0.1, more than the cap: an office behind one address.
        var sessions = new List<ImapClient>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password));
        }

        await using var waiting1 = await RawImap.ConnectAsync(host.ImapPort);
        await using var waiting2 = await RawImap.ConnectAsync(host.ImapPort);
        await using var refused = await RawImap.ConnectAsync(host.ImapPort);
        var greetings = new[] { await waiting1.ReadLineAsync(), await waiting2.ReadLineAsync() };
        var refusal = await refused.ReadLineAsync();

        Assert.All(sessions, s => Assert.True(s.IsAuthenticated));
        Assert.All(greetings, g => Assert.StartsWith("* OK ", g, StringComparison.Ordinal));
        Assert.Equal("* BYE Too many connections from your address; try again later", refusal);
        foreach (var session in sessions)
        {
            await session.NoOpAsync(); // still served
            session.Dispose();
        }
    }

    [Fact]
    public async Task Login_LoginCommand_Works()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("bob@demo.test");

        using var client = await ProxyTestBed.LoginAsync(host.ImapPort, "bob@demo.test", password, useLoginCommand: true);

        await client.NoOpAsync();
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task RouteChange_ClosesAliceOnly_ReconnectSeesSovereign()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var onPrimary = "before-" + Guid.NewGuid();
        var onSovereign = "after-" + Guid.NewGuid();
        await ProxyTestBed.AppendAsync(bed.Dovecots.Primary, "alice@demo.test", onPrimary);
        await ProxyTestBed.AppendAsync(bed.Dovecots.Sovereign, "alice@demo.test", onSovereign);
        var alicePassword = await host.NewPasswordAsync("alice@demo.test");
        var bobPassword = await host.NewPasswordAsync("bob@demo.test");
        using var alice = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", alicePassword);
        using var bob = await ProxyTestBed.LoginAsync(host.ImapPort, "bob@demo.test", bobPassword);
        Assert.Contains(onPrimary, await ProxyTestBed.SubjectsAsync(alice));

        host.Route(2, ("alice@demo.test", "sovereign"));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            // The BYE is waiting on the socket; the next command reads it and sees the connection end.
            await alice.NoOpAsync();
            await alice.NoOpAsync();
        });
        Assert.False(alice.IsConnected);
        await bob.NoOpAsync();
        Assert.True(bob.IsAuthenticated);
        using var again = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", alicePassword);
        var subjects = await ProxyTestBed.SubjectsAsync(again);
        Assert.Contains(onSovereign, subjects);
        Assert.DoesNotContain(onPrimary, subjects);
    }

    [Fact]
    public async Task RouteChange_RawSession_GetsByeWithClearText()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("alice@demo.test");
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();
        await client.SendAsync($"a1 LOGIN alice@demo.test \"{password}\"\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY IMAP4rev1", (await client.ReadUntilAsync("a1 "))[^1]);
        await client.SendAsync("a2 SELECT INBOX\r\n");
        await client.ReadUntilAsync("a2 OK");

        host.Route(2, ("alice@demo.test", "sovereign"));

        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox has moved to another server; please reconnect", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Login_Curl_FetchesMessageThroughGateway()
    {
        var curl = RequiredProgram.Find("curl", "curl");
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var subject = "curl-" + Guid.NewGuid();
        await ProxyTestBed.AppendAsync(bed.Dovecots.Primary, "bob@demo.test", subject);
        var password = await host.NewPasswordAsync("bob@demo.test");

        var psi = new ProcessStartInfo(curl, ["-sS", "--max-time", "20", "--user", $"bob@demo.test:{password}", $"imap://127.0.0.1:{host.ImapPort}/INBOX", "-X", $"UID SEARCH SUBJECT \"{subject}\""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"curl failed ({process.ExitCode}): {error}");
        Assert.Matches(@"\* SEARCH \d+", output);
    }

    [Fact]
    public async Task Login_BackendRefusesKnownUser_CutoffSignalAndUnavailable()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var password = await host.NewPasswordAsync("carol@demo.test"); // a gateway user the provider no longer serves
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();

        await client.SendAsync($"c1 LOGIN carol@demo.test \"{password}\"\r\n");

        Assert.Equal("c1 NO [UNAVAILABLE] Your mailbox is not available right now; your administrator has been notified", await client.ReadLineAsync());
        var signal = Assert.Single(host.Signals.Raised);
        Assert.Equal(("demo", "carol@demo.test", "primary", "imap"), (signal.Tenant, signal.User, signal.Provider, signal.Source));
        Assert.StartsWith("IMAP ", signal.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(DovecotServer.MasterPassword, signal.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BruteForce_TwentyWrongPasswords_SlowedThenRefused_OtherAddressStillWorks()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, new Dictionary<string, string?>(bed.Settings())
        {
            ["Credentials:Throttle:BaseDelay"] = "00:00:00.050",
            ["Credentials:Throttle:MaxDelay"] = "00:00:00.200",
            ["Mail:Access:MaxAuthFailuresPerConnection"] = "100",
        });
        var password = await host.NewPasswordAsync("alice@demo.test");
        await using var attacker = await RawImap.ConnectAsync(host.ImapPort);
        await attacker.ReadLineAsync();
        var answers = new List<(string Line, TimeSpan Took)>();

        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            await attacker.SendAsync($"b{i} LOGIN alice@demo.test wrong-{i}\r\n");
            answers.Add((await attacker.ReadLineAsync() ?? "<closed>", clock.Elapsed));
        }

        Assert.All(answers.Take(10), a => Assert.EndsWith("NO [AUTHENTICATIONFAILED] Authentication failed", a.Line, StringComparison.Ordinal));
        Assert.All(answers.Skip(10), a => Assert.EndsWith("NO [UNAVAILABLE] Too many failed logins; try again later", a.Line, StringComparison.Ordinal));
        Assert.All(answers.Skip(3).Take(7), a => Assert.True(a.Took >= TimeSpan.FromMilliseconds(45), $"failure answered after {a.Took}, expected a delay"));
        await attacker.SendAsync($"r1 LOGIN alice@demo.test \"{password}\"\r\n");
        Assert.Equal("r1 NO [UNAVAILABLE] Too many failed logins; try again later", await attacker.ReadLineAsync());

        using var legit = await ProxyTestBed.LoginAsync(host.ImapPort, "alice@demo.test", password, local: "127.0.0.2");
        Assert.True(legit.IsAuthenticated);
    }

    [Fact]
    public async Task Login_RevokedPassword_Refused()
    {
        await using var host = await AccessHost.StartAsync(bed.Redis.ConnectionString, bed.Settings());
        var created = await host.Passwords.CreateAsync("bob@demo.test", "old phone");
        await host.Passwords.RevokeAsync("bob@demo.test", created.Info.Id);

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => ProxyTestBed.LoginAsync(host.ImapPort, "bob@demo.test", created.Secret));
    }
}
