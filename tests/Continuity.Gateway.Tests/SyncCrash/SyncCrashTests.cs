using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;
using Continuity.Testing;
using Xunit.Abstractions;

namespace Continuity.Gateway.Tests.SyncCrash;

/// <summary>
/// The gateway process syncing alice's mailbox (two real Dovecots, a real redis-server for checkpoints and the user's
/// lease) is SIGKILLed in the middle of copying a 1500-message folder, then started again on the same data directory
/// and the same redis. The kill lands wherever the copy happens to be — between an APPEND and the checkpoint that
/// records it, inside a MULTIAPPEND, between batches — which is the point: whatever the sovereign Dovecot committed
/// before the kill and whatever the checkpoints recorded may disagree. Asserted: the restarted node finishes the job
/// (the sovereign folder ends with exactly the primary's messages, compared by Message-ID and SHA-256 of their bytes,
/// none twice, none missing), records a successful run, and a further run copies nothing.
/// </summary>
[Trait("Category", "Server")]
public sealed class SyncCrashTests(ITestOutputHelper output)
{
    private const string Alice = GatewayConfig.Alice;
    private const string Folder = "Projects";
    private const int Messages = 1500;

    /// <summary>The kill waits for this many copies on the sovereign side: "some", well short of "all".</summary>
    private const int KillAfter = 200;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Sync_GatewayKilledMidFolder_RestartCompletesWithoutDuplicatesOrLoss()
    {
        // Arrange: the primary holds 1500 messages in one folder; the sovereign mailbox is empty.
        using var primary = DovecotServer.Start("sync-crash-primary", Alice);
        using var sovereign = DovecotServer.Start("sync-crash-sovereign", Alice);
        using var redis = new RedisServer();
        await using (var seed = await SyncMailbox.ConnectAsync(primary, Alice))
        {
            await seed.SeedAsync(Folder, Messages);
        }

        await using var gateway = new SyncGateway(Options(primary, sovereign, redis), SyncSection());
        await using var watch = await SyncMailbox.ConnectAsync(sovereign, Alice);
        var clock = Stopwatch.StartNew();

        // Act 1: start syncing and SIGKILL the gateway once the sovereign folder holds some of the messages.
        gateway.Start();
        try
        {
            await Eventually.TrueAsync(async () => !gateway.IsRunning || await watch.CountAsync(Folder) >= KillAfter, Deadline, $"{KillAfter} messages on the sovereign side");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{gateway.Output}", e);
        }

        gateway.Kill();
        var atKill = await watch.CountAsync(Folder);
        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:0.0} s with {atKill}/{Messages} messages on the sovereign side");
        Assert.True(atKill is > 0 and < Messages, $"the kill must land mid-folder; the sovereign side held {atKill} of {Messages}.\n{gateway.Output}");

        // Act 2: the same node again, same data directory, same store: it takes back the lease its killed run held.
        gateway.Start();
        await gateway.WaitReadyAsync();
        JsonElement? state = null;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (await watch.CountAsync(Folder) < Messages)
                {
                    return false;
                }

                state = await gateway.SyncStateAsync(Alice);
                return state is { } s && s.GetProperty("lastSuccess").ValueKind == JsonValueKind.String && s.GetProperty("lastError").ValueKind == JsonValueKind.Null;
            }, Deadline, "the sovereign folder holds every message and the sync state shows a successful run");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; sovereign holds {await watch.CountAsync(Folder)}/{Messages}, state {state}\n{gateway.Output}", e);
        }

        var again = await gateway.SyncNowAsync(Alice);
        output.WriteLine($"converged after {clock.Elapsed.TotalSeconds:0.0} s; state {state}; one more run: {again}");
        foreach (var line in gateway.Output.Split('\n').Where(l => l.Contains("Mailbox sync", StringComparison.Ordinal) || l.StartsWith("[test]", StringComparison.Ordinal)))
        {
            output.WriteLine(line); // the runs' own account: copied, matched to copies the kill left unrecorded
        }

        // Assert: exactly the primary's messages, byte for byte, each once; one more run copies nothing.
        await using var check = await SyncMailbox.ConnectAsync(primary, Alice);
        var expected = await check.ReadAsync(Folder);
        var actual = await watch.ReadAsync(Folder);
        Assert.Equal(Messages, expected.Count);
        var duplicates = actual.GroupBy(m => m.Split('|')[0], StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"copied twice: {string.Join(", ", duplicates.Take(10))} ({duplicates.Count} in all)");
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"missing or altered on the sovereign side: {string.Join(", ", missing.Take(10))} ({missing.Count} in all)");
        Assert.Equal(expected, actual);
        Assert.Equal(JsonValueKind.Null, again.GetProperty("lastError").ValueKind);
        Assert.Equal(0, again.GetProperty("messagesCopied").GetInt32());
        Assert.Equal(Messages, await watch.CountAsync(Folder));
    }

    /// <summary>The demo tenant with alice only, both providers' IMAP backends and master logins, checkpoints in <paramref name="redis"/>.</summary>
    private static ContinuityOptions Options(DovecotServer primary, DovecotServer sovereign, RedisServer redis)
    {
        var options = GatewayConfig.Demo(redis.ConnectionString);
        var tenant = options.Tenants[GatewayConfig.Tenant];
        tenant.Users = [Alice];
        foreach (var (name, server) in new[] { ("primary", primary), ("sovereign", sovereign) })
        {
            tenant.Providers[name].Mail = new ProviderMailOptions
            {
                Imap = server.ImapUri,
                Login = new MailLoginOptions { Master = DovecotServer.MasterUser, MasterPassword = DovecotServer.MasterPassword },
            };
        }

        return options;
    }

    /// <summary>
    /// <c>Continuity:Mail:Sync</c>: the demo tenant on, a short poll, and a short lease — a SIGKILLed node cannot release
    /// its lease, so the restarted node (a new node id) waits for it to run out (default 10 minutes; here 10 s, just over
    /// a command timeout that leaves room for a loaded machine).
    /// </summary>
    private static JsonObject SyncSection() => new()
    {
        ["Tenants"] = new JsonObject { [GatewayConfig.Tenant] = new JsonObject { ["Enabled"] = true } },
        ["PollInterval"] = "00:00:01",
        ["MaxLag"] = "00:00:30",
        ["CommandTimeout"] = "00:00:09",
        ["LeaseDuration"] = "00:10:00", // the default: the restarted node takes its own lease back at once
    };
}
