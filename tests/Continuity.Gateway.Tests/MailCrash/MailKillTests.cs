using System.Diagnostics;
using System.Text.Json;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Xunit.Abstractions;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>
/// Issue 19: the built gateway is SIGKILLed at random moments while three senders deliver a few hundred small
/// messages to three users of one Dovecot (LMTP), and restarted on the same data directory each time; the senders
/// reconnect and go on. Then every mailbox is read over IMAP and counted per Message-ID and user:
/// <list type="bullet">
/// <item>every copy that got a 250 is there exactly once: a kill between the backend's commit and the journal's
/// <c>D</c> leaves an open attempt (<c>P</c>), and recovery finds the copy by its <c>X-Continuity-Spool-Id</c> over the
/// gateway's own IMAP login (the Dovecot master user) instead of delivering it again;</item>
/// <item>a message without a 250 is in each of its users' mailboxes at most once;</item>
/// <item>nothing that was not sent appears, and the spool is empty in the end.</item>
/// </list>
/// Before the attempt journal, a kill under this load delivered a few copies twice.
/// </summary>
[Trait("Category", "Server")]
public sealed class MailKillTests(ITestOutputHelper output)
{
    private const int Senders = 3;
    private const int PerSender = 100;
    private const int MaxPerSender = 1000;
    private static readonly string[] Users = ["alice@demo.test", "bob@demo.test", "carol@demo.test"];

    [Fact]
    public async Task Kill_AtRandomMomentsDuringLoad_EveryAcknowledgedCopyDeliveredExactlyOnce()
    {
        var clock = Stopwatch.StartNew();
        using var redis = new RedisServer();
        using var dovecot = DovecotServer.Start("mailkill", Users);
        using var dir = new TempDirectory("mailkill");
        var smtpPort = FreePort.Next();
        var config = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, Config(redis.ConnectionString, smtpPort, dovecot));
        await using var gateway = GatewayProcess.FromConfigFile("mail", config, dir.Combine("data"), managementListener: true, GatewayProcess.WarningsOnly);
        await gateway.StartAsync();

        // The load runs until it is stopped after the fifth kill (the cap is far above what five kills use), so no kill
        // can race the load's end however fast or slow the machine is.
        var load = new RestartingLoad(smtpPort, Senders, MaxPerSender, Users);
        var sending = load.RunAsync();
        var random = new Random();
        var kills = new List<string>();
        // Five kills, each at a random point of the load after the last restart (5 to 30 more acknowledgements).
        for (var k = 0; k < 5; k++)
        {
            var at = load.Acknowledged + 5 + random.Next(25);
            await Eventually.TrueAsync(() => load.Acknowledged >= at || sending.IsCompleted, TimeSpan.FromSeconds(90), $"{at} messages acknowledged");
            Assert.False(sending.IsCompleted, $"the load ended before kill {k + 1} ({load.Acknowledged} acknowledged): {sending.Exception?.GetBaseException().Message}");
            // Paused before anything else, so senders cut by the kill wait for the restart before reconnecting.
            load.Pause();
            var queued = await gateway.QueuedAsync();
            gateway.Kill();
            kills.Add($"after {load.Acknowledged} acks ({queued} queued)");
            await gateway.StartAsync();
            load.Resume();
        }

        // A few more messages on the restarted node, then the senders stop.
        var more = load.Acknowledged + 15;
        await Eventually.TrueAsync(() => load.Acknowledged >= more || sending.IsCompleted, TimeSpan.FromSeconds(90), $"{more} messages acknowledged after the last restart");
        load.Stop();
        await sending.WaitAsync(TimeSpan.FromSeconds(60));
        await DrainedAsync(gateway);
        output.WriteLine($"kills: {string.Join("; ", kills)}; {clock.Elapsed.TotalSeconds:0.0} s");
        await AssertExactlyOnceAsync(load, dovecot, kills);
        // The node says what it promises for this backend (it has an IMAP login there).
        var status = System.Text.Json.Nodes.JsonNode.Parse(await gateway.Management.GetStringAsync(new Uri("health/status", UriKind.Relative)))!;
        var primary = Assert.Single(status["mailDelivery"]!.AsArray(), d => d!["provider"]!.GetValue<string>() == "primary")!;
        Assert.Equal("exactly-once", primary["guarantee"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kill_WithTheBackendDownDuringLoadAndUpAfterRestart_EveryAcknowledgedCopyDeliveredExactlyOnce()
    {
        var clock = Stopwatch.StartNew();
        using var redis = new RedisServer();
        using var dovecot = DovecotServer.Start("mailkilldown", Users);
        using var dir = new TempDirectory("mailkilldown");
        var smtpPort = FreePort.Next();
        var config = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, Config(redis.ConnectionString, smtpPort, dovecot));
        dovecot.Stop(); // everything is spooled and retried until after the restarts
        await using var gateway = GatewayProcess.FromConfigFile("mail", config, dir.Combine("data"), managementListener: true, GatewayProcess.WarningsOnly);
        await gateway.StartAsync();

        var load = new RestartingLoad(smtpPort, Senders, PerSender * 2 / 3, Users);
        var sending = load.RunAsync();
        var random = new Random();
        var kills = new List<string>();
        for (var k = 0; k < 2; k++)
        {
            var at = load.Acknowledged + 20 + random.Next(40);
            await Eventually.TrueAsync(() => load.Acknowledged >= at || sending.IsCompleted, TimeSpan.FromSeconds(60), $"{at} messages acknowledged");
            load.Pause();
            gateway.Kill();
            kills.Add($"backend down, after {load.Acknowledged} acks");
            await gateway.StartAsync();
            load.Resume();
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(60));
        // The backend comes back; the backlog drains (retries are at most 2 s apart) and is killed three times in the
        // middle of it, each time after a random number of messages more went out. The backend is down again while the
        // gateway restarts (else the backlog would drain before the node is ready) and up once it is.
        dovecot.Restart();
        for (var k = 0; k < 3; k++)
        {
            var queued = await gateway.QueuedAsync();
            var below = queued - 5 - random.Next(Math.Max(1, queued / 4));
            await Eventually.TrueAsync(async () => await gateway.QueuedAsync() <= below, TimeSpan.FromSeconds(30), $"the spool to drain below {below}\n{gateway.Output}");
            gateway.Kill();
            kills.Add($"backend up, {queued} queued, killed at <= {below}");
            dovecot.Stop();
            await gateway.StartAsync();
            dovecot.Restart();
        }

        await DrainedAsync(gateway);
        output.WriteLine($"kills: {string.Join("; ", kills)}; {clock.Elapsed.TotalSeconds:0.0} s");
        await AssertExactlyOnceAsync(load, dovecot, kills);
    }

    private static Task DrainedAsync(GatewayProcess gateway) =>
        Eventually.TrueAsync(async () => await gateway.QueuedAsync() == 0, TimeSpan.FromSeconds(45),
            $"the spool empties after the last restart (the child's /metrics)\n{gateway.Output}");

    private async Task AssertExactlyOnceAsync(RestartingLoad load, DovecotServer dovecot, List<string> kills)
    {
        var copies = new Dictionary<(string User, string Id), int>();
        foreach (var user in Users)
        {
            foreach (var id in await MessageIdsAsync(dovecot, user))
            {
                copies[(user, id)] = copies.GetValueOrDefault((user, id)) + 1;
            }
        }

        var acknowledged = load.Sent.Values.Where(m => m.Acknowledged).ToList();
        var unacknowledged = load.Sent.Values.Where(m => !m.Acknowledged).ToList();
        var twice = acknowledged.SelectMany(m => m.Recipients.Where(r => copies.GetValueOrDefault((r, m.Id)) > 1).Select(r => $"{m.Id} at {r}: {copies[(r, m.Id)]}")).ToList();
        var missing = acknowledged.SelectMany(m => m.Recipients.Where(r => copies.GetValueOrDefault((r, m.Id)) == 0).Select(r => $"{m.Id} at {r}")).ToList();
        var summary = $"{acknowledged.Count} acknowledged, {unacknowledged.Count} not, {load.Cut} sessions cut, {copies.Values.Sum()} copies stored; " +
            $"kills: {string.Join("; ", kills)}; acknowledged copies twice or more: {twice.Count}, missing: {missing.Count}";
        output.WriteLine(summary);
        Assert.Empty(load.Refusals);
        Assert.True(kills.Count >= 5, summary);
        Assert.True(load.Cut >= 1, $"no session was cut by a kill: {summary}");
        Assert.All(copies.Keys, c => Assert.True(load.Sent.TryGetValue(c.Id, out var m) && m.Recipients.Contains(c.User), $"{c.User} holds {c.Id}, which was not sent to them"));
        Assert.True(twice.Count == 0, $"{summary}\n{string.Join("\n", twice)}");
        Assert.True(missing.Count == 0, $"{summary}\n{string.Join("\n", missing)}");
        foreach (var message in unacknowledged)
        {
            Assert.All(message.Recipients, r => Assert.True(copies.GetValueOrDefault((r, message.Id)) <= 1, $"unacknowledged {message.Id}: {copies.GetValueOrDefault((r, message.Id))} copies at {r}. {summary}"));
        }
    }

    /// <summary>The Message-ID of every message in the user's INBOX, read over IMAP as the master user.</summary>
    private static async Task<List<string>> MessageIdsAsync(DovecotServer dovecot, string user)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", dovecot.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync($"{user}*{DovecotServer.MasterUser}", DovecotServer.MasterPassword);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var ids = imap.Inbox.Count == 0 ? [] : (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope))
            .Select(s => s.Envelope?.MessageId?.Trim('<', '>') ?? "(no Message-ID)").ToList();
        await imap.DisconnectAsync(true);
        return ids;
    }

    /// <summary>Tenant <c>demo</c> (alice, bob, carol), provider <c>primary</c> = the Dovecot by LMTP, searchable over IMAP with its master user.</summary>
    private static string Config(string redis, int smtpPort, DovecotServer dovecot) => JsonSerializer.Serialize(new
    {
        Continuity = new
        {
            Development = true,
            Listeners = new { Address = "127.0.0.1", Smtp = smtpPort },
            State = new { Redis = redis, KeyPrefix = "{mailkill}:" },
            Mail = new { ServerName = "mx.demo.test", Delivery = new { FirstRetryDelay = "00:00:01", MaxRetryDelay = "00:00:02" } },
            Tenants = new Dictionary<string, object>
            {
                ["demo"] = new
                {
                    Domains = new[] { "demo.test" },
                    DefaultProvider = "primary",
                    Users,
                    Providers = new Dictionary<string, object>
                    {
                        ["primary"] = new
                        {
                            Mail = new
                            {
                                Inbound = dovecot.LmtpUri,
                                Imap = dovecot.ImapUri,
                                Login = new { Master = DovecotServer.MasterUser, DovecotServer.MasterPassword },
                            },
                        },
                    },
                },
            },
        },
    });
}
