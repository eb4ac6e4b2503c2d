using Microsoft.Playwright;

namespace Continuity.Testing;

/// <summary>
/// Headless Chromium for browser tests: Playwright driving the system's <c>/usr/bin/chromium</c>
/// (Debian's <c>chromium</c> package). Playwright never downloads a browser here: the executable is
/// given, and the driver is the Node bundled inside the Microsoft.Playwright package. A test class
/// shares one <see cref="Chromium"/> (a class fixture) and opens a context per user: contexts are
/// cheap and isolated (their own cookies), a browser process is not.
/// </summary>
/// <remarks>A missing <c>/usr/bin/chromium</c> fails the test with the install command; it never skips.</remarks>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Starts Playwright's driver and a headless Chromium from <see cref="ExecutablePath"/>.</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {ExecutablePath}, which is not installed. Install it with: apt-get install -y chromium " +
                "(or run the README's test command, which installs everything the tests need).");
        }

        // Belt and braces: nothing in this process may fetch a browser build (there is no network
        // beyond the package registries), and the driver looks only where it is told.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH", "0");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 30_000,
                // Running as root in a container: Chromium's own sandbox needs user namespaces it may not have.
                ChromiumSandbox = false,
                Args = ["--disable-dev-shm-usage", "--disable-gpu"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh context (its own cookies, as another person's browser). The gateway's dev-CA certificate
    /// is accepted; <paramref name="baseUrl"/> makes relative <c>GotoAsync</c> paths work.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            BaseURL = baseUrl?.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
