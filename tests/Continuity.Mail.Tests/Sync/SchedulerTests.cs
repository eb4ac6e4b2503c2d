using Continuity.Core.Routing;
using Continuity.Mail.Sync;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Sync;

/// <summary>The background scheduler: new mail reaches the copy within the lag; a route back to primary triggers failback.</summary>
[Trait("Category", "Server")]
public sealed class SchedulerTests
{
    [Fact]
    public async Task Scheduler_NewMailAndRouteBackToPrimary_CopiedWithinLagAndFailedBack()
    {
        await using var harness = SyncHarness.Start(new Dictionary<string, string?> { ["Mail:Sync:PollInterval"] = "00:00:01", ["Mail:Sync:MaxLag"] = "00:00:05" });
        harness.Routes.TrySwap(Snapshot(1));
        var scheduler = harness.Get<MailboxSyncScheduler>();
        var status = harness.Get<MailboxSyncStatus>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            await using (var primary = await harness.PrimaryMailboxAsync())
            {
                await primary.AppendAsync("INBOX", SeedMessages.Generate("live", 3));
            }

            await Eventually.TrueAsync(async () => await CountAsync(harness, sovereign: true, "live-") == 3, TimeSpan.FromSeconds(30), "new primary mail reaches the sovereign copy");
            await Eventually.TrueAsync(async () => await status.GetAsync("demo", SyncHarness.Alice) is { LastSuccess: not null }, TimeSpan.FromSeconds(30), "the run records its state");
            var state = await status.GetAsync("demo", SyncHarness.Alice);
            Assert.False(status.IsStale(state!));
            Assert.Null(state!.LastError);

            harness.Routes.TrySwap(Snapshot(2, (SyncHarness.Alice, "sovereign")));
            await using (var sovereign = await harness.SovereignMailboxAsync())
            {
                await sovereign.AppendAsync("INBOX", SeedMessages.Generate("event", 2));
            }

            harness.Routes.TrySwap(Snapshot(3));

            await Eventually.TrueAsync(async () => await CountAsync(harness, sovereign: false, "event-") == 2, TimeSpan.FromSeconds(30), "failback brings event mail to the primary");
            await Eventually.TrueAsync(async () => (await status.GetAsync("demo", SyncHarness.Alice)) is { FailbackPending: false, LastDirection: "forward" }, TimeSpan.FromSeconds(30), "forward sync resumes after failback");
            await FullSyncTests.AssertSameAsync(harness, ["INBOX"]);
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private static RouteSnapshot Snapshot(long version, params (string User, string Provider)[] overrides) =>
        new(version, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", overrides.ToDictionary(o => o.User, o => o.Provider)),
        });

    private static async Task<int> CountAsync(SyncHarness harness, bool sovereign, string prefix)
    {
        await using var mailbox = sovereign ? await harness.SovereignMailboxAsync() : await harness.PrimaryMailboxAsync();
        return (await mailbox.ReadAsync("INBOX")).Count(m => m.MessageId?.StartsWith(prefix, StringComparison.Ordinal) == true);
    }
}
