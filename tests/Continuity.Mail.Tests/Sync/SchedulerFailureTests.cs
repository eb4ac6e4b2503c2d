using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Mail.Sync;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// A sync job runs fire-and-forget: whatever it throws ends in the scheduler's logged last-resort catch, and the
/// scheduler goes on with the other users and with the same user once the cause is gone.
/// </summary>
[Trait("Category", "Server")]
public sealed class SchedulerFailureTests
{
    [Fact]
    public async Task Job_DamagedSyncStatus_LoggedAndOtherUsersAndLaterRunsGoOn()
    {
        var logs = new RecordingLogs();
        await using var harness = SyncHarness.Start(
            new Dictionary<string, string?> { ["Mail:Sync:PollInterval"] = "00:00:01", ["Mail:Sync:MaxLag"] = "00:00:05" }, logs: logs);
        harness.Routes.TrySwap(new RouteSnapshot(1, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes> { ["demo"] = new("primary", new Dictionary<string, string>()) }));

        // Alice's saved sync state is damaged in the store (not JSON): her job throws what no narrower catch expects.
        var store = harness.Get<StateStore>();
        var statusKey = $"{store.Keys.Prefix}sync:status:demo";
        await store.Connection.GetDatabase().HashSetAsync(statusKey, SyncHarness.Alice, "{damaged");
        foreach (var user in new[] { SyncHarness.Alice, SyncHarness.Bob })
        {
            await using var primary = await harness.PrimaryMailboxAsync(user);
            await primary.AppendAsync("INBOX", SeedMessages.Generate("job", 2));
        }

        var scheduler = harness.Get<MailboxSyncScheduler>();
        var status = harness.Get<MailboxSyncStatus>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => logs.Text.Contains($"Mailbox sync demo/{SyncHarness.Alice}: job failed unexpectedly", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "alice's failed job is logged");
            await Eventually.TrueAsync(async () => await CountAsync(harness, SyncHarness.Bob) == 2, TimeSpan.FromSeconds(30), "bob is still synced");

            // The cause gone, alice's next run (the scheduler still polls) copies her mail.
            await store.Connection.GetDatabase().HashDeleteAsync(statusKey, SyncHarness.Alice);
            await Eventually.TrueAsync(async () => await CountAsync(harness, SyncHarness.Alice) == 2, TimeSpan.FromSeconds(30), "alice's mail is copied once the damage is repaired");
            await Eventually.TrueAsync(async () => await status.GetAsync("demo", SyncHarness.Alice) is { LastSuccess: not null, LastError: null }, TimeSpan.FromSeconds(30), "alice's run records its success");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> CountAsync(SyncHarness harness, string user)
    {
        await using var mailbox = await harness.SovereignMailboxAsync(user);
        return (await mailbox.ReadAsync("INBOX")).Count(m => m.MessageId?.StartsWith("job-", StringComparison.Ordinal) == true);
    }
}

/// <summary>The lease is given back in a <c>finally</c>: when that fails too, it is logged, and the run's own error is what surfaces.</summary>
[Trait("Category", "Server")]
public sealed class LeaseReleaseFailureTests
{
    [Fact]
    public async Task Run_StoreRefusesWritesAndRelease_OriginalErrorSurfacesAndReleaseFailureLogged()
    {
        var logs = new RecordingLogs();
        await using var harness = SyncHarness.Start(logs: logs);
        await using (var primary = await harness.PrimaryMailboxAsync())
        {
            await primary.AppendAsync("INBOX", SeedMessages.Generate("lease", 1));
        }

        // The store takes the lease (SET) and reads, but refuses hash writes and scripts: the run fails saving its
        // state, and the release (a script) fails in the finally after it.
        var db = harness.Get<StateStore>().Connection.GetDatabase();
        await db.ExecuteAsync("ACL", "SETUSER", "default", "-hset", "-eval", "-evalsha");
        try
        {
            var runner = harness.Get<MailboxSyncRunner>();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => runner.RunAsync("demo", SyncHarness.Alice, SyncDirection.Forward, false, CancellationToken.None));

            Assert.DoesNotContain("eval", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"Mailbox sync demo/{SyncHarness.Alice}: the lease could not be released", logs.Text, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync("ACL", "SETUSER", "default", "+@all");
        }
    }
}
