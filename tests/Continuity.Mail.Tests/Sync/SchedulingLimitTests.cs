using System.Collections.Concurrent;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Mail.Sync;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// The scheduler's limits with real sessions: six users on two real Dovecots, the open backend sessions counted at the
/// connector (a session counts from its login to its close), and each run held inside its first APPEND until another
/// user could join it, so a broken limit would show.
/// </summary>
[Trait("Category", "Server")]
public sealed class SchedulingLimitTests
{
    private static readonly string[] Users = [.. Enumerable.Range(1, 6).Select(i => $"user{i}@demo.test")];

    [Theory]
    [InlineData(2, 1, 1)] // per-backend limit binds: every user needs both backends
    [InlineData(2, 4, 2)] // total limit binds
    public async Task Scheduler_SixUsers_NeverMoreOpenSessionsPerBackendThanTheLimits(int total, int perBackend, int expected)
    {
        await using var harness = SyncHarness.Start(Limits(total, perBackend), users: Users);
        await SeedAsync(harness);
        var sessions = new SessionCounter(harness);
        var inside = 0;
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Synchronizer.Hooks = new SyncHooks
        {
            AfterAppend = async (_, _) =>
            {
                if (Interlocked.Increment(ref inside) >= expected)
                {
                    joined.TrySetResult();
                }

                // Wait for company (or 2 s when the limit allows none): overlapping runs are what the limit is about.
                await joined.Task.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
                Interlocked.Decrement(ref inside);
            },
        };

        await RunSchedulerUntilAllSyncedAsync(harness, null);

        Assert.Equal(expected, sessions.Max(harness.Primary.ImapPort));
        Assert.Equal(expected, sessions.Max(harness.Sovereign.ImapPort));
        Assert.All(sessions.Current.Values, open => Assert.Equal(0, open));
    }

    [Fact]
    public async Task Scheduler_UserFlaggedByCutoffSignal_SyncedBeforeUsersThatAreMerelyDue()
    {
        await using var harness = SyncHarness.Start(Limits(1, 1), users: Users);
        await SeedAsync(harness);
        var order = new ConcurrentQueue<string>();
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Synchronizer.Hooks = new SyncHooks
        {
            AfterAppend = async (key, _) =>
            {
                if (!order.Contains(key.User))
                {
                    order.Enqueue(key.User);
                }

                await signalled.Task; // the first run waits until the signal is in
            },
        };

        await RunSchedulerUntilAllSyncedAsync(harness, async () =>
        {
            await Eventually.TrueAsync(() => !order.IsEmpty, TimeSpan.FromSeconds(30), "the first user's run starts");
            var outcome = await harness.Get<ICutoffSignals>().RaiseAsync(new CutoffSignal("demo", Users[^1], "primary", "test", "550 mailbox disabled"));
            Assert.Equal(CutoffSignalOutcome.Suggested, outcome);
            signalled.SetResult();
        });

        var runs = order.ToList();
        Assert.Equal(Users.Length, runs.Count);
        Assert.NotEqual(Users[^1], runs[0]); // the signal came while the first run was under way
        Assert.Equal(Users[^1], runs[1]);
    }

    private static Dictionary<string, string?> Limits(int total, int perBackend) => new()
    {
        ["Mail:Sync:MaxParallelUsers"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Sync:MaxParallelPerBackend"] = perBackend.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Sync:PollInterval"] = "00:10:00", // one run per user: the first dispatch finds them all due
        ["Mail:Sync:MaxLag"] = "00:10:00",
        ["Tenants:demo:Failover:Automatic"] = "Suggest",
    };

    private static async Task SeedAsync(SyncHarness harness)
    {
        foreach (var user in Users)
        {
            await using var mailbox = await TestMailbox.ConnectAsync(harness.Primary, user);
            await mailbox.AppendAsync("INBOX", SeedMessages.Generate(user.Split('@')[0], 2));
        }
    }

    private static async Task RunSchedulerUntilAllSyncedAsync(SyncHarness harness, Func<Task>? during)
    {
        harness.Routes.TrySwap(new RouteSnapshot(1, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes> { ["demo"] = new TenantRoutes("primary", new Dictionary<string, string>()) }));
        var scheduler = harness.Get<MailboxSyncScheduler>();
        var status = harness.Get<MailboxSyncStatus>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            if (during is not null)
            {
                await during();
            }

            await Eventually.TrueAsync(
                async () => (await status.ListAsync("demo")).Count(s => s.LastSuccess is not null && s.MessagesCopied == 2) == Users.Length,
                TimeSpan.FromSeconds(90),
                "every user synced once");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Open IMAP sessions per backend (by port) as the connector opens and closes them, and the most seen at once.</summary>
    private sealed class SessionCounter
    {
        private readonly ConcurrentDictionary<int, int> _max = new();

        public SessionCounter(SyncHarness harness)
        {
            harness.Get<ImapConnector>().SessionsChanged = (endpoint, delta) =>
            {
                var now = Current.AddOrUpdate(endpoint.Imap.Port, delta, (_, open) => open + delta);
                _max.AddOrUpdate(endpoint.Imap.Port, now, (_, max) => Math.Max(max, now));
            };
        }

        public ConcurrentDictionary<int, int> Current { get; } = new();

        public int Max(int port) => _max.GetValueOrDefault(port);
    }
}
