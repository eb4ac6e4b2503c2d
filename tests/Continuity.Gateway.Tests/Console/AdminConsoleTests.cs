using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Continuity.Gateway.Tests.Console;

/// <summary>
/// The admin console in Chromium against the running gateway: sign-in through the login page, a move under the
/// two-person rule approved by a second admin in another browser, the overview and the audit afterwards.
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
[Trait("Category", "Server")]
public sealed partial class AdminConsoleTests(ConsoleBed bed)
{
    [Fact]
    public async Task MoveAlice_OpsRequestsSecondApproves_OverviewShowsSovereignAndAuditVerifies()
    {
        var ops = await bed.SignInAsync("ops@demo.test");
        await Assertions.Expect(ops.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Overview");

        await ops.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await ops.GetByLabel("Search by address").FillAsync("alice");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await ops.GetByRole(AriaRole.Link, new() { Name = "alice@demo.test" }).ClickAsync();
        await Assertions.Expect(ops.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("alice@demo.test");
        await ops.GetByLabel("To provider").SelectOptionAsync("sovereign");
        await ops.GetByLabel("Reason (goes into the audit log)").FillAsync("primary cut alice off (console test)");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await Assertions.Expect(ops.GetByRole(AriaRole.Status)).ToContainTextAsync("waits for a second admin");

        // The requester sees the two-person rule and no Approve button for their own request.
        await ops.GotoAsync("/admin/approvals");
        var card = ops.Locator("section.card", new() { HasText = "alice@demo.test" });
        await Assertions.Expect(card.Locator("dt:text-is('Requested by') + dd")).ToHaveTextAsync("ops@demo.test");
        await Assertions.Expect(card.Locator("dt:text-is('May approve') + dd")).ToHaveTextAsync("second@demo.test");
        await Assertions.Expect(card).ToContainTextAsync("You requested this: another admin must approve it.");
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { NameRegex = ApprovePattern() })).ToHaveCountAsync(0);

        var second = await bed.SignInAsync("second@demo.test", "/admin/approvals");
        var theirs = second.Locator("section.card", new() { HasText = "alice@demo.test" });
        await ConsoleBed.ScreenshotAsync(second, "console-approvals.png");
        await theirs.GetByRole(AriaRole.Button, new() { NameRegex = ApprovePattern() }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved and applied");

        await second.GotoAsync("/admin");
        var sovereign = second.Locator("tbody tr", new() { Has = second.GetByRole(AriaRole.Rowheader, new() { NameRegex = SovereignPattern() }) });
        await Assertions.Expect(sovereign.Locator("td").First).ToHaveTextAsync("1");
        await ConsoleBed.ScreenshotAsync(second, "console-overview.png");
        await second.GotoAsync("/admin/users/alice@demo.test");
        await Assertions.Expect(second.Locator("dl.facts").First).ToContainTextAsync("sovereign (moved");

        await ops.GotoAsync("/admin/audit");
        await Assertions.Expect(ops.Locator("tbody")).ToContainTextAsync("route.changed");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Assertions.Expect(ops.GetByRole(AriaRole.Status)).ToContainTextAsync("Chain verified");
    }

    /// <summary>Every console page as an Operator sees it (the most controls), and the refusal page.</summary>
    [Fact]
    public async Task EveryPage_AxeCore_NoSeriousOrCriticalViolations()
    {
        var page = await bed.SignInAsync("ops@demo.test");
        var found = new List<string>();
        foreach (var path in new[] { "/admin", "/admin/users", "/admin/users/bob@demo.test", "/admin/approvals", "/admin/audit?verify=true", "/admin/mail", "/admin/drills", "/admin/users?readiness=true", "/admin/users/nobody@demo.test" })
        {
            await page.GotoAsync(path);

            var result = await page.RunAxe();

            found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}"));
        }

        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    [GeneratedRegex("^Approve request")]
    private static partial Regex ApprovePattern();

    [GeneratedRegex("^sovereign")]
    private static partial Regex SovereignPattern();
}
