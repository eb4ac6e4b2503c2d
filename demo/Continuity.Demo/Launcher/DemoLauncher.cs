using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Continuity.Demo.Apps;
using Continuity.Demo.Mail;
using Continuity.Demo.Upstreams;

namespace Continuity.Demo.Launcher;

/// <summary>
/// One command for the whole demo: the stand-ins (two OIDC upstreams, two web apps, and two Dovecots when possible),
/// then the gateway as its own process with config/demo.json adjusted to this run, then the URLs to open. Ctrl+C stops
/// everything. Exit code 2 for bad arguments, 1 when something did not start.
/// </summary>
internal static class DemoLauncher
{
    /// <summary>The line that says everything is up (the demo test waits for it).</summary>
    public const string ReadyLine = "Continuity demo ready.";

    private static readonly string[] Providers = ["primary", "sovereign"];
    private static readonly string[] Colours = ["#0b4f8a", "#1d6b32"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (Options.Parse(args) is not { } options)
        {
            await Console.Error.WriteLineAsync("usage: continuity-demo [--data-dir DIR (default .data/demo)] [--ports free] [--no-mail]");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM both stop the gateway and the stand-ins before the launcher exits.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await RunAsync(options, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
        {
            await Console.Error.WriteLineAsync($"A demo port is in use ({e.Message}). Stop what uses it, or start the demo on free ports: dotnet run --project demo/Continuity.Demo -- --ports free");
            return 1;
        }
    }

    private static async Task<int> RunAsync(Options options, CancellationToken stop)
    {
        var ports = options.FreePorts ? DemoPorts.Free() : DemoPorts.Defaults;
        ports.EnsureFree();
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        var template = DemoConfiguration.Load();
        var gateway = new Uri($"http://127.0.0.1:{ports.Gateway.ToString(CultureInfo.InvariantCulture)}/");
        var appHost = (string?)template["Continuity"]!["Tenants"]![DemoConfiguration.Tenant]!["Hosts"]!["Apps"]!["webmail"] ?? "localhost";
        var webmail = new Uri($"http://{appHost}:{ports.Gateway.ToString(CultureInfo.InvariantCulture)}/");

        var mailOff = options.NoMail ? "--no-mail given" : DemoMailbox.Unavailable();
        var mailboxes = new List<DemoMailbox>();
        var standIns = new List<WebApplication>();
        GatewayChild? child = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            if (mailOff is null && OperatingSystem.IsLinux())
            {
                var (master, password) = MasterLogin(template);
                var users = DemoUser.All.Select(u => u.Address).ToList();
                mailboxes.Add(DemoMailbox.Start("primary", dataDir, ports.PrimaryLmtp, ports.PrimaryImap, master, password, users));
                mailboxes.Add(DemoMailbox.Start("sovereign", dataDir, ports.SovereignLmtp, ports.SovereignImap, master, password, users));
            }

            int[] identityPorts = [ports.PrimaryIdentity, ports.SovereignIdentity];
            int[] webPorts = [ports.PrimaryWeb, ports.SovereignWeb];
            for (var i = 0; i < Providers.Length; i++)
            {
                var name = Providers[i];
                var display = DemoConfiguration.DisplayName(template, name);
                var issuer = new Uri($"http://127.0.0.1:{identityPorts[i].ToString(CultureInfo.InvariantCulture)}/");
                var upstream = new DemoIdentityProvider(name, display, Colours[i], issuer, DemoConfiguration.UpstreamClientId,
                    DemoConfiguration.UpstreamSecret(template, name), new Uri(gateway, $"signin/{DemoConfiguration.Tenant}/{name}"), TimeProvider.System);
                standIns.Add(await StartAsync(identityPorts[i], upstream.Map, stop));
                var app = new DemoWebApp(name, display, Colours[i], gateway, http);
                standIns.Add(await StartAsync(webPorts[i], app.Map, stop));
            }

            var config = DemoConfiguration.Write(template, ports, mail: mailOff is null, Path.Combine(dataDir, "continuity.json"));
            child = GatewayChild.Start(config, Path.Combine(dataDir, "gateway"), gateway, Path.Combine(dataDir, "gateway.log"));
            if (!await child.WaitReadyAsync(gateway, TimeSpan.FromSeconds(90), stop))
            {
                await Console.Error.WriteLineAsync($"The gateway did not become ready; its log: {child.LogFile}");
                return 1;
            }

            PrintUrls(gateway, webmail, ports, config, child.LogFile, mailOff);
            await Task.WhenAny(child.WaitForExitAsync(stop), Task.Delay(Timeout.Infinite, stop));
            if (child.HasExited)
            {
                await Console.Error.WriteLineAsync($"The gateway stopped; its log: {child.LogFile}");
                return 1;
            }

            return 0;
        }
        finally
        {
            Console.WriteLine("Stopping the demo…");
            if (child is not null)
            {
                await child.DisposeAsync();
            }

            foreach (var app in standIns)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            mailboxes.ForEach(m => m.Dispose());
        }
    }

    private static async Task<WebApplication> StartAsync(int port, Action<WebApplication> map, CancellationToken stop)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        map(app);
        await app.StartAsync(stop);
        return app;
    }

    private static (string Master, string Password) MasterLogin(JsonObject template)
    {
        var login = template["Continuity"]!["Tenants"]![DemoConfiguration.Tenant]!["Providers"]!["primary"]!["Mail"]!["Login"]!;
        return ((string)login["Master"]!, (string)login["MasterPassword"]!);
    }

    private static void PrintUrls(Uri gateway, Uri webmail, DemoPorts ports, string config, string log, string? mailOff)
    {
        string Url(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
        Console.WriteLine($"""

            {ReadyLine}  (everything below runs on 127.0.0.1; Ctrl+C stops it all)

              web app (through the gateway):  {webmail}
              admin console:                  {gateway}admin
              gateway (OIDC issuer):          {gateway}
              primary identity (DEMO):        {Url(ports.PrimaryIdentity)}   <- cut people off here
              sovereign identity (DEMO):      {Url(ports.SovereignIdentity)}
              primary web app (DEMO, direct): {Url(ports.PrimaryWeb)}
              sovereign web app (DEMO):       {Url(ports.SovereignWeb)}
            """);
        Console.WriteLine(mailOff is null
            ? $"  mail through the gateway:       SMTP 127.0.0.1:{ports.GatewaySmtp.ToString(CultureInfo.InvariantCulture)}, IMAP 127.0.0.1:{ports.GatewayImap.ToString(CultureInfo.InvariantCulture)} (app passwords from the admin API)"
            : $"  mail:                           off: {mailOff}");
        Console.WriteLine($"""
              gateway configuration:          {config}
              gateway log:                    {log}

            Sign in as alice@demo.test at {webmail} ; admins: ops@demo.test and second@demo.test (no passwords: the DEMO upstreams have a picker).
            """);
    }

    private sealed record Options(string DataDir, bool FreePorts, bool NoMail)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(Path.Combine(".data", "demo"), false, false);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--data-dir" when i + 1 < args.Length:
                        options = options with { DataDir = args[++i] };
                        break;
                    case "--ports" when i + 1 < args.Length && args[i + 1] == "free":
                        options = options with { FreePorts = true };
                        i++;
                        break;
                    case "--no-mail":
                        options = options with { NoMail = true };
                        break;
                    default:
                        return null;
                }
            }

            return options;
        }
    }
}
