using System.Text.Json.Nodes;
using Continuity.Core.Health;
using Continuity.Gateway.Tests.Admin;
using Continuity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Continuity.Gateway.Tests.Console;

/// <summary>
/// One gateway (the real host on 127.0.0.1, two-person rule on: <see cref="AdminAttackBed"/>, with ops and second as
/// Operators, auditor as Viewer, alice and bob as users) and one headless Chromium, shared by the console tests. Each person
/// signs in through the gateway's login page in a browser context of their own.
/// </summary>
public sealed class ConsoleBed : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    internal AdminAttackBed Bed { get; private set; } = null!;

    internal Chromium Chromium { get; private set; } = null!;

    internal Uri BaseAddress => Bed.Gateway.BaseAddress;

    public async Task InitializeAsync()
    {
        // On two shared cores the stand-in upstream's first discovery answer can come after the default 10 s probe timeout,
        // and a failed probe refuses every sign-in until the next round. So: a patient probe (60 s), and the bed starts
        // once the probe saw the upstream up.
        var gateway = AdminAttackBed.StartAsync(_redis.ConnectionString, customize: continuity =>
            continuity["Identity"]!["Probes"] = new JsonObject { ["Interval"] = "00:01:00", ["Timeout"] = "00:01:00" });
        var chromium = Chromium.LaunchAsync();
        Bed = await gateway;
        var health = Bed.Gateway.Services.GetRequiredService<BackendHealthRegistry>();
        await Eventually.TrueAsync(
            () => health.All.Any(b => b is { Tenant: "demo", Provider: "primary", Kind: "identity", Up: true }),
            TimeSpan.FromSeconds(120), "the gateway's probe sees the demo tenant's stand-in upstream up");
        Chromium = await chromium;
    }

    /// <summary>
    /// Opens <paramref name="path"/> in a new browser context, answers the login page with <paramref name="address"/>
    /// and waits until the browser is back on <paramref name="path"/>.
    /// </summary>
    internal async Task<IPage> SignInAsync(string address, string path = "/admin")
    {
        var page = await Chromium.NewPageAsync(BaseAddress);
        await page.GotoAsync(path);
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await page.GetByLabel("E-mail address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        try
        {
            // Commit, not the default "load": once the redirects ended on the page, the locators that follow wait for what
            // they need. Waiting for "load" once timed out on a page already at /admin (Playwright saw only "networkidle").
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path, new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (PlaywrightException ex)
        {
            // Say where the browser stopped and what the gateway logged, so a slow or refused sign-in explains itself.
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new System.TimeoutException(
                $"sign-in of {address} did not come back to {path} within 60 s: the browser is at {page.Url} showing:{Environment.NewLine}{text}" +
                $"{Environment.NewLine}gateway log:{Environment.NewLine}{Bed.Gateway.Problems.Describe()}", ex);
        }

        return page;
    }

    /// <summary>
    /// Saves a full-page PNG of <paramref name="page"/> as <paramref name="name"/> in the folder named by
    /// <c>CONTINUITY_SCREENSHOTS</c> (the README's pictures: <c>CONTINUITY_SCREENSHOTS=docs/images</c>); nothing when unset.
    /// </summary>
    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CONTINUITY_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Bed is not null)
        {
            await Bed.DisposeAsync();
        }

        _redis.Dispose();
    }
}

/// <summary>The console's browser tests share one gateway and one Chromium (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleBrowserTests : ICollectionFixture<ConsoleBed>
{
    public const string Name = "console";
}
