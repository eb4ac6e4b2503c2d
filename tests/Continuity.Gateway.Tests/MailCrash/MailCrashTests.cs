using System.Text.Json;
using System.Text.RegularExpressions;
using Continuity.Testing;
using Xunit.Abstractions;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>
/// The gateway process is SIGKILLed while clients send hundreds of messages, then restarted on the same data
/// directory. What is asserted, and why:
/// <list type="bullet">
/// <item>every message that got a 250 is in each of its recipients' mailboxes exactly once: the MX fsyncs the spool
/// (file, rename, directory) before the 250, and the spool commits per recipient;</item>
/// <item>a message that got no 250 is either absent or present whole, in all of its recipients' mailboxes, once:
/// its 250 may have been lost after the spool committed (the gateway died before writing it, or before the client
/// read it), which no MTA can tell apart from a message never received (RFC 5321 6.1: the sender retries and the
/// recipient may see it twice). It is never truncated and never delivered to only some recipients, because the
/// spool's commit is one rename of one file holding the envelope and the whole message;</item>
/// <item>nothing else appears, and the spool is empty in the end.</item>
/// </list>
/// The backend (Dovecot LMTP) is down until the kill, so the kill finds many messages spooled and not delivered,
/// and the restart must deliver them all. A kill in the middle of an LMTP transaction could deliver a message
/// twice (Dovecot stored it, the journal did not record it yet): that window is at-least-once in every MTA, and
/// this test keeps it closed on purpose.
/// </summary>
[Trait("Category", "Server")]
public sealed partial class MailCrashTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int PerClient = 150;
    private const int KillAfterAcknowledged = 250;

    [Fact]
    public async Task Kill_WhileClientsSend_EveryAcknowledgedMessageDeliveredOnceAndNoneHalfDelivered()
    {
        using var redis = new RedisServer();
        using var dovecot = DovecotServer.Start("mailcrash", "alice@demo.test", "bob@demo.test");
        using var dir = new TempDirectory("mailcrash");
        var smtpPort = FreePort.Next();
        var config = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, Config(redis.ConnectionString, smtpPort, dovecot.LmtpUri));
        dovecot.Stop(); // mail stays spooled until after the kill
        await using var gateway = GatewayProcess.FromConfigFile("mail", config, dir.Combine("data"), managementListener: true, GatewayProcess.WarningsOnly);
        await gateway.StartAsync();

        var load = new CrashLoad(smtpPort, Clients, PerClient);
        var sending = load.RunAsync();
        await load.AcknowledgedAtLeast(KillAfterAcknowledged).WaitAsync(TimeSpan.FromSeconds(30));
        gateway.Kill();
        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        var acknowledged = load.Sent.Values.Where(m => m.Acknowledged).ToList();
        var unacknowledged = load.Sent.Values.Where(m => !m.Acknowledged).ToList();

        dovecot.Restart();
        await gateway.StartAsync();
        await Eventually.TrueAsync(async () => await gateway.QueuedAsync() == 0, TimeSpan.FromSeconds(30),
            $"the spool empties after the restart (the child's /metrics)\n{gateway.Output}");

        var stored = Stored(dovecot);
        var summary = $"{acknowledged.Count} acknowledged, {unacknowledged.Count} not; sessions ended: {string.Join(", ", load.Endings)}";
        var unacknowledgedStored = unacknowledged.Count(m => stored.Any(s => s.Id == m.Id));
        output.WriteLine($"{summary}; {stored.Count} stored copies; {unacknowledgedStored} unacknowledged messages stored whole");
        Assert.Empty(load.Refusals);
        Assert.True(acknowledged.Count >= KillAfterAcknowledged, summary);
        Assert.Contains(load.Endings, e => e != "completed"); // the kill came mid-load
        Assert.All(stored, s => Assert.True(load.Sent.ContainsKey(s.Id), $"{s.User} holds {s.Id}, which no client sent"));
        Assert.All(stored, s => Assert.True(load.Sent[s.Id].Recipients.Contains(s.User), $"{s.User} holds {s.Id}, not addressed to them"));
        Assert.All(stored, s => Assert.True(load.Sent[s.Id].IsWhole(s.Text), $"{s.User} holds a truncated {s.Id}"));
        var copies = stored.CountBy(s => (s.User, s.Id)).ToDictionary();
        foreach (var message in acknowledged)
        {
            Assert.All(message.Recipients, r => Assert.True(copies.GetValueOrDefault((r, message.Id)) == 1, $"acknowledged {message.Id}: {copies.GetValueOrDefault((r, message.Id))} copies at {r}. {summary}"));
        }

        foreach (var message in unacknowledged)
        {
            var counts = message.Recipients.Select(r => copies.GetValueOrDefault((r, message.Id))).Distinct().ToList();
            Assert.True(counts is [0] or [1], $"unacknowledged {message.Id} has copies {string.Join("/", counts)} across {string.Join(", ", message.Recipients)}. {summary}");
        }
    }

    private static List<(string User, string Id, string Text)> Stored(DovecotServer dovecot) =>
        [.. from user in new[] { "alice@demo.test", "bob@demo.test" }
            from text in dovecot.Messages(user)
            let id = MessageIdHeader().Match(text)
            select (user, id.Success ? id.Groups[1].Value : "(no Message-ID)", text)];

    [GeneratedRegex(@"^Message-Id:\s*<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdHeader();

    /// <summary>Tenant <c>demo</c> (alice, bob) with provider <c>primary</c> delivering to Dovecot by LMTP; retries after 1 s.</summary>
    private static string Config(string redis, int smtpPort, string inbound) => JsonSerializer.Serialize(new
    {
        Continuity = new
        {
            Development = true, // a test node: generated keys, clear Data Protection keys in the test store
            Listeners = new { Address = "127.0.0.1", Smtp = smtpPort },
            State = new { Redis = redis, KeyPrefix = "{mailcrash}:" },
            Mail = new { ServerName = "mx.demo.test", Delivery = new { FirstRetryDelay = "00:00:01", MaxRetryDelay = "00:00:02" } },
            Tenants = new Dictionary<string, object>
            {
                ["demo"] = new
                {
                    Domains = new[] { "demo.test" },
                    DefaultProvider = "primary",
                    Users = new[] { "alice@demo.test", "bob@demo.test" },
                    Providers = new Dictionary<string, object> { ["primary"] = new { Mail = new { Inbound = inbound } } },
                },
            },
        },
    });
}
