using System.Net.Http.Headers;
using System.Text.Json;
using Continuity.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Continuity.Demo.Tests;

/// <summary>
/// The README's "Trying the demo", step by step, as a newcomer does it in a browser (headless Chromium): the demo
/// started the way the README says, alice signs in to the web app through the primary, is cut off at the primary's
/// DEMO identity page, her next sign-in is refused, the console shows the suggestion with its evidence, the first
/// admin approves, the second demo admin approves in another browser, and alice signs in again with the same address
/// and lands on the sovereign side with the same <c>sub</c>. Set <c>CONTINUITY_SCREENSHOTS</c> to a directory to keep
/// the console screenshots there (the README's images under docs/images come from such a run).
/// </summary>
[Trait("Category", "Server")]
public sealed class DemoWalkthroughTests : IAsyncLifetime
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(45);

    private Chromium _chromium = null!;
    private DemoProcess _demo = null!;

    public async Task InitializeAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        _demo = await DemoProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        await _chromium.DisposeAsync();
    }

    [Fact]
    public async Task Demo_AliceCutOffAtPrimary_SuggestedApprovedByTwoAdminsThenSignsInOnSovereignWithSameSub()
    {
        try
        {
            await WalkThroughAsync();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- demo output ---\n{_demo.Output}\n--- gateway log (tail) ---\n{Tail(_demo.GatewayLog)}", e);
        }
    }

    private async Task WalkThroughAsync()
    {
        // 1. Alice opens the web app: the gateway's login page, then the primary's DEMO sign-in page.
        var alice = await NewPageAsync();
        await SignInAsync(alice, _demo.WebApp, "alice@demo.test");
        await Expect(alice.Locator("#provider")).ToHaveTextAsync("primary");
        await Expect(alice.Locator("#email")).ToHaveTextAsync("alice@demo.test");
        var sub = await alice.Locator("#sub").InnerTextAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Signed out" })).ToBeVisibleAsync();

        // 2. The newcomer cuts her off at the primary's DEMO identity page.
        var provider = await NewPageAsync();
        await provider.GotoAsync(_demo.PrimaryIdentity.AbsoluteUri);
        await Expect(provider.GetByText("DEMO stand-in").First).ToBeVisibleAsync();
        await provider.GetByRole(AriaRole.Button, new() { Name = "Cut off alice@demo.test" }).ClickAsync();
        await Expect(provider.GetByRole(AriaRole.Button, new() { Name = "Restore alice@demo.test" })).ToBeVisibleAsync();

        // 3. Her next sign-in: the primary refuses it at its token endpoint (AADSTS50057); the gateway says so.
        await SignInAsync(alice, _demo.WebApp, "alice@demo.test", expectApp: false);
        await Expect(alice.Locator("#message")).ToContainTextAsync("refused the sign-in");

        // 4. /health/status says why a suggestion exists.
        var status = await StatusAsync();
        var pending = status.GetProperty("tenants")[0].GetProperty("pendingApprovals");
        var suggestion = Assert.Single(pending.EnumerateArray());
        Assert.Equal("alice@demo.test", suggestion.GetProperty("user").GetString());
        Assert.Equal("sovereign", suggestion.GetProperty("to").GetString());
        Assert.Contains("AADSTS50057", suggestion.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Equal("signal:identity", suggestion.GetProperty("requestedBy").GetString());

        // 5. The first demo admin sees it in the console (overview, approvals with the evidence) and approves.
        var ops = await NewPageAsync();
        await SignInAsync(ops, _demo.Console, "ops@demo.test", expectApp: false);
        await Expect(ops).ToHaveURLAsync(new Uri(_demo.Gateway, "admin").AbsoluteUri);
        await Expect(ops.GetByText("alice@demo.test").First).ToBeVisibleAsync();
        await ScreenshotAsync(ops, "demo-console-overview.png");
        await ops.GotoAsync(new Uri(_demo.Gateway, "admin/approvals").AbsoluteUri);
        await Expect(ops.Locator(".evidence")).ToContainTextAsync("AADSTS50057");
        await ScreenshotAsync(ops, "demo-console-approval.png");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Approve request" }).ClickAsync();
        await Expect(ops.GetByText("another admin must approve it")).ToBeVisibleAsync();

        // 6. The second demo admin, in another browser, approves: alice is moved.
        var second = await NewPageAsync();
        await SignInAsync(second, new Uri(_demo.Gateway, "admin/approvals"), "second@demo.test", expectApp: false);
        await second.GetByRole(AriaRole.Button, new() { Name = "Approve request" }).ClickAsync();
        await Expect(second.GetByText("Approved and applied")).ToBeVisibleAsync();

        // 7. Alice signs in again with the same address and lands on the sovereign side, as the same account.
        await SignInAsync(alice, _demo.WebApp, "alice@demo.test");
        Assert.StartsWith(_demo.WebApp.AbsoluteUri, alice.Url, StringComparison.Ordinal);
        await Expect(alice.Locator("#provider")).ToHaveTextAsync("sovereign");
        await Expect(alice.Locator("#email")).ToHaveTextAsync("alice@demo.test");
        await Expect(alice.Locator("#sub")).ToHaveTextAsync(sub);

        // Only alice moved: bob still signs in through the primary.
        var bob = await NewPageAsync();
        await SignInAsync(bob, _demo.WebApp, "bob@demo.test");
        await Expect(bob.Locator("#provider")).ToHaveTextAsync("primary");

        // 8. The first admin runs a (non-live) continuity drill for bob from the console and reads its report.
        await ops.GotoAsync(new Uri(_demo.Gateway, "admin/drills").AbsoluteUri);
        await ops.GetByLabel("Users (addresses, separated by commas or spaces)").FillAsync("bob@demo.test");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Run the drill" }).ClickAsync();
        var report = ops.Locator("#report-title");
        await Expect(report).ToBeVisibleAsync();
        await Eventually.TrueAsync(async () =>
        {
            if (!(await report.InnerTextAsync()).Contains("Running", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            await ops.ReloadAsync();
            return false;
        }, PageTimeout, "the drill report to finish");
        await ScreenshotAsync(ops, "demo-console-drill.png");
    }

    /// <summary>
    /// Opens <paramref name="start"/>, answers the gateway's login page with <paramref name="address"/> and picks that person
    /// on the DEMO upstream's sign-in page (whichever upstream the gateway sent the browser to).
    /// </summary>
    private static async Task SignInAsync(IPage page, Uri start, string address, bool expectApp = true)
    {
        await page.GotoAsync(start.AbsoluteUri);
        await page.GetByLabel("E-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + address, Exact = true }).ClickAsync();
        // No wait for the page's "load" event: with this Chromium, Playwright sometimes never saw it after the sign-in's
        // redirects (it timed out having seen only "networkidle" on a page already there). What the caller does next
        // (an expectation, a click) waits for the page it needs.
        if (expectApp)
        {
            await Expect(page.Locator("#provider")).ToBeVisibleAsync();
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _chromium.NewPageAsync();
        page.Context.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        SetDefaultExpectTimeout((float)PageTimeout.TotalMilliseconds);
        return page;
    }

    private async Task<JsonElement> StatusAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "demo-ops-key"); // the README's demo key
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(_demo.Gateway, "health/status")));
        return document.RootElement.Clone();
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("CONTINUITY_SCREENSHOTS") is { Length: > 0 } kept ? kept : _demo.DataDir;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    private static string Tail(string text) => text.Length <= 20_000 ? text : text[^20_000..];
}
