using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Continuity.Testing;
using Continuity.Testing.Story;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.EndToEnd;

/// <summary>
/// Readiness and continuity drills against the continuity story's world (the built executable, oidc-provider as
/// Entra-shaped primary and Keycloak-shaped sovereign upstream, two real Dovecots), driven through the
/// <c>continuity</c> CLI as an operator runs it. Alice is the tenant's drill test user (<c>Failover:DrillUsers</c>);
/// the tenant keeps the two-person rule. Then the sovereign Dovecot's master password is changed under the gateway:
/// readiness and the drill fail, naming the cause.
/// </summary>
[Trait("Category", "Server")]
public sealed class DrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Drill_NonLiveAndLiveThenBrokenMasterPassword_ReportsTimedStepsAndTheCause()
    {
        var clock = Stopwatch.StartNew();
        await using var story = await ContinuityStory.StartAsync(o => o.Tenants[Tenant].Failover.DrillUsers = [Alice]);
        var world = story.World;
        var gateway = story.Gateway;
        var step = new StoryStep(output, clock, story);
        string[] admin = ["--url", gateway.BaseAddress.AbsoluteUri, "--api-key", OpsKey];

        await step.RunAsync("alice signed in on both sides, her mail client on an app password, her mailbox synced", async () =>
        {
            await gateway.WaitIdentityProbeAsync("primary", up: true, Deadline);
            await gateway.WaitIdentityProbeAsync("sovereign", up: true, Deadline);
            var subject = (await story.SignInAsync(Alice)).Subject;
            Assert.Equal(subject, (await story.SignInAsync(Alice, "sovereign")).Subject);
            var password = await world.AppPasswordAsync(Alice);
            using (await StoryImapSession.OpenAsync(world.Config.ImapPort, Alice, password))
            {
            }

            await StoryMail.SendAsync(world.Config.SmtpPort, Alice, StoryMail.NewMessageId("m0-alice"), "M0");
            await Eventually.TrueAsync(async () => (await gateway.SyncNowAsync(Alice)).GetProperty("totalCopied").GetInt64() >= 1, Deadline, "M0 synced to alice's sovereign mailbox");
        });

        await step.RunAsync("continuity readiness: alice ready, every check passes", async () =>
        {
            var result = await GatewayCli.RunAsync(["readiness", "--tenant", Tenant, "--user", Alice, "--json", .. admin]);
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Stdout);
            Assert.True(json.RootElement.GetProperty("ready").GetBoolean(), result.Stdout);
            Assert.All(json.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.Equal("Pass", c.GetProperty("status").GetString()));
            var human = await GatewayCli.RunAsync(["readiness", "--tenant", Tenant, .. admin]);
            output.WriteLine(human.ToString());
            Assert.Contains("alice@demo.test (on primary): READY", human.Stdout, StringComparison.Ordinal);
            Assert.Contains("tenant demo: 3 of 3 user(s) ready for failover to sovereign", human.Stdout, StringComparison.Ordinal);
        });

        await step.RunAsync("continuity drill (non-live): every step passes; the probe went MX → sovereign and is gone", async () =>
        {
            var report = await DrillAsync(["drill", "--tenant", Tenant, "--user", Alice, "--json", .. admin], expectPass: true);
            Assert.Equal(["identity", "mailbox", "sync", "credentials", "probe", "sign-in"], report.Steps.Select(s => s.Name));
            Assert.All(report.Steps, s => Assert.True(s.Status == "Pass", $"{s.Channel}/{s.Name}: {s.Status} {s.Message}"));
            Assert.Contains("reached the sovereign mailbox", report.Step("probe").Message, StringComparison.Ordinal);
            Assert.Contains("the same sub", report.Step("sign-in").Message, StringComparison.Ordinal);
            Assert.DoesNotContain(await StoryMail.MessageIdsAsync(world.SovereignMail, Alice), id => id.StartsWith("continuity-drill.", StringComparison.Ordinal));
            Assert.DoesNotContain(await StoryMail.MessageIdsAsync(world.PrimaryMail, Alice), id => id.StartsWith("continuity-drill.", StringComparison.Ordinal));
        });

        await step.RunAsync("continuity drill --live: routed to sovereign and back, each channel timed, no duplicates, all audited", async () =>
        {
            var report = await DrillAsync(["drill", "--tenant", Tenant, "--user", Alice, "--live", "--json", .. admin], expectPass: true);
            Assert.All(report.Steps, s => Assert.True(s.Status == "Pass", $"{s.Channel}/{s.Name}: {s.Status} {s.Message}"));
            foreach (var channel in new[] { "sign-in", "delivered", "session-moved" })
            {
                Assert.True(report.Step(channel).Milliseconds > 0, $"{channel} has no timing");
            }

            Assert.Equal(["session-before", "to-sovereign", "sign-in", "delivered", "session-moved", "back", "after-failback", "removed"], report.Steps.Skip(4).Select(s => s.Name));
            Assert.Equal("primary", (await gateway.RoutesAsync()).Resolve(Alice));
            Assert.DoesNotContain((await StoryMail.MessageIdsAsync(world.SovereignMail, Alice)).Concat(await StoryMail.MessageIdsAsync(world.PrimaryMail, Alice)),
                id => id.StartsWith("continuity-drill.", StringComparison.Ordinal));

            using var audit = JsonDocument.Parse(await gateway.Admin.GetStringAsync("admin/api/audit?count=50"));
            var records = audit.RootElement.EnumerateArray().Select(r => (Action: r.GetProperty("action").GetString(), Details: r.GetProperty("details").GetString() ?? "")).ToList();
            Assert.Contains(records, r => r.Action == "drill.completed" && r.Details.StartsWith($"drill {report.Id}: passed", StringComparison.Ordinal));
            Assert.Equal(2, records.Count(r => r.Action!.StartsWith("route.", StringComparison.Ordinal) && r.Details.Contains($"live drill {report.Id}", StringComparison.Ordinal)));
        });

        await step.RunAsync("a live drill of bob (no test user) under the two-person rule is refused, naming Failover:DrillUsers", async () =>
        {
            var result = await GatewayCli.RunAsync(["drill", "--tenant", Tenant, "--user", Bob, "--live", .. admin]);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("Failover:DrillUsers", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("primary", (await gateway.RoutesAsync()).Resolve(Bob));
        });

        await step.RunAsync("a viewer reads readiness and reports but may not start a drill; bad requests get a clear 4xx", async () =>
        {
            using var viewer = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
            viewer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ViewerKey);
            using (var forbidden = await viewer.PostAsJsonAsync($"admin/api/tenants/{Tenant}/drills", new { users = new[] { Alice } }))
            {
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.StatusCode);
            }

            using (var reports = await viewer.GetAsync($"admin/api/tenants/{Tenant}/drills"))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, reports.StatusCode);
                using var list = JsonDocument.Parse(await reports.Content.ReadAsStringAsync());
                Assert.Equal(2, list.RootElement.EnumerateArray().Count(r => r.GetProperty("status").GetString() == "Passed"));
            }

            using (var ready = await viewer.GetAsync($"admin/api/tenants/{Tenant}/readiness/{Alice}"))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            }

            foreach (var (body, status) in new (object Body, System.Net.HttpStatusCode Status)[]
            {
                (new { users = Array.Empty<string>() }, System.Net.HttpStatusCode.BadRequest),
                (new { users = new[] { "mallory@elsewhere.example" } }, System.Net.HttpStatusCode.BadRequest),
                (new { users = new[] { "nobody@demo.test" } }, System.Net.HttpStatusCode.BadRequest),
            })
            {
                using var response = await gateway.Admin.PostAsJsonAsync($"admin/api/tenants/{Tenant}/drills", body);
                Assert.True(response.StatusCode == status, $"{JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            using (var broken = await gateway.Admin.PostAsync($"admin/api/tenants/{Tenant}/drills", new StringContent("{\"users\": [", System.Text.Encoding.UTF8, "application/json")))
            {
                Assert.Equal(System.Net.HttpStatusCode.BadRequest, broken.StatusCode);
            }

            foreach (var path in new[] { $"admin/api/tenants/{Tenant}/drills/0123456789ab", $"admin/api/tenants/{Tenant}/drills/..%2F..%2Fapprovals", $"admin/api/tenants/nope/readiness", $"admin/api/tenants/{Tenant}/readiness/nobody@demo.test" })
            {
                using var response = await gateway.Admin.GetAsync(path);
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            }
        });

        await step.RunAsync("wrong master password at the sovereign Dovecot: readiness and the drill fail, naming the cause", async () =>
        {
            await world.SovereignMail.ChangeMasterPasswordAsync("rotated-on-the-mail-side-only");
            var readiness = await GatewayCli.RunAsync(["readiness", "--tenant", Tenant, "--user", Alice, .. admin]);
            output.WriteLine(readiness.ToString());
            Assert.True(readiness.ExitCode == 1, readiness.ToString());
            Assert.Contains("NOT READY", readiness.Stdout, StringComparison.Ordinal);
            Assert.Contains("sovereign mailbox", readiness.Stdout, StringComparison.Ordinal);
            Assert.Contains("IMAP login as master user refused (AUTHENTICATIONFAILED", readiness.Stdout, StringComparison.Ordinal);

            var report = await DrillAsync(["drill", "--tenant", Tenant, "--user", Alice, "--json", .. admin], expectPass: false);
            Assert.Equal("Failed", report.Status);
            Assert.Contains("IMAP login as master user refused (AUTHENTICATIONFAILED", report.Step("mailbox").Message, StringComparison.Ordinal);
            Assert.Equal("Skipped", report.Step("probe").Status);

        });

        output.WriteLine($"drill test done in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<Report> DrillAsync(string[] args, bool expectPass)
    {
        var result = await GatewayCli.RunAsync(args);
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == (expectPass ? 0 : 1), result.ToString());
        var report = JsonSerializer.Deserialize<Report>(result.Stdout, Web)!;
        foreach (var s in report.Steps)
        {
            output.WriteLine($"  {s.Status,-7} {s.Channel}/{s.Name,-16} {s.Milliseconds,8:0} ms  {s.Message}");
        }

        Assert.Equal(expectPass ? "Passed" : "Failed", report.Status);
        return report;
    }

    private sealed record Report(string Id, string Status, bool Live, List<ReportStep> Steps)
    {
        public ReportStep Step(string name) => Steps.Single(s => s.Name == name);
    }

    private sealed record ReportStep(string User, string Channel, string Name, string Status, string Message, double Milliseconds);
}
