using System.Net;
using System.Net.Sockets;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Configuration;

/// <summary>
/// <c>continuity config check</c> (and <c>serve</c>, which checks the same way) as its own process: what the binder used to
/// drop or throw on is an error with its path, all errors at once, exit 2.
/// </summary>
[Trait("Category", "Server")]
public sealed class ConfigCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new("config-check");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ConfigCheck_JsonSyntaxError_NamesFileLineAndColumnExit2()
    {
        var file = await WriteAsync("broken.json", """
            { "Continuity": {
                "DataDir": "data"
                "Tenants": { } } }
            """);

        var check = await GatewayCli.RunAsync("config", "check", "--config", file);
        var serve = await GatewayCli.RunAsync("serve", "--config", file, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Contains($"{file}, line 3, column 5: not valid JSON", check.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", check.Stderr, StringComparison.Ordinal);
        Assert.True(serve.ExitCode == 2, serve.ToString());
        Assert.Contains($"{file}, line 3, column 5", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_ValuesThatDoNotConvert_EachNamedWithItsPathWithTheOtherErrors()
    {
        var file = await WriteAsync("values.json", Config("""
            "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "nowhere",
              "Failover": { "ApprovalTimeout": "a day", "Approvals": "two", "ContinuityCopies": "yes" },
              "Admins": { "boss@demo.test": { "Role": "Superuser" } },
              "Providers": { "primary": { "DisplayName": "P" } } },
            "other": { "Domains": [ "demo.test" ], "DefaultProvider": "primary",
              "Failover": { "Automatic": "Sometimes" },
              "Providers": { "primary": { "DisplayName": "P" } } }
            """, """
            , "Identity": { "AllowInsecureHttp": "maybe" }, "Mail": { "Sync": { "BatchSize": "99999999999" } }
            """));

        var check = await GatewayCli.RunAsync("config", "check", "--config", file);

        Assert.True(check.ExitCode == 2, check.ToString());
        string[] expected =
        [
            "Continuity:Tenants:other:Failover:Automatic: 'Sometimes' is not one of Off, Suggest, Apply",
            "Continuity:Tenants:demo:Admins:boss@demo.test:Role: 'Superuser' is not one of Operator, Viewer",
            "Continuity:Tenants:demo:Failover:ApprovalTimeout: 'a day' is not a duration as [d.]hh:mm[:ss[.fff]]",
            "Continuity:Tenants:demo:Failover:Approvals: 'two' is not a whole number",
            "Continuity:Tenants:demo:Failover:ContinuityCopies: 'yes' is not true or false",
            "Continuity:Identity:AllowInsecureHttp: 'maybe' is not true or false",
            "Continuity:Mail:Sync:BatchSize: '99999999999' is not a whole number",
            // Reported together, and the tenant with a bad value is still there to check.
            "Continuity:Tenants:demo:DefaultProvider: 'nowhere' is not one of the tenant's providers",
            "Continuity:Tenants:other:Domains:0: 'demo.test' already belongs to tenant 'demo'",
        ];
        Assert.All(expected, e => Assert.True(check.Stderr.Contains(e, StringComparison.Ordinal), $"missing: {e}\n{check}"));
    }

    [Fact]
    public async Task ConfigCheck_UnknownKeys_NamedWithTheirPathKnownSectionsAccepted()
    {
        var file = await WriteAsync("unknown.json", Config("""
            "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "primary",
              "Failover": { "Automatc": "Apply" },
              "Providers": { "primary": { "DisplayName": "P", "Mail": { "Imapp": "imap://127.0.0.1:1" } } } }
            """, """
            , "Tenant": { "demo": { } },
              "Frobnicate": true,
              "Identity": { "AccessTokens": { "MailScope": "mail", "Audience": "x" } },
              "Mail": { "Sync": { "PollInterval": "00:01:00", "PollIntervall": "00:01:00" }, "Access": { "MaxSessions": 100 }, "Probes": { "Interval": "00:00:30" } },
              "Web": { "TrustedProxies": [ "127.0.0.1" ] },
              "Credentials": { "Throttle": { "FreeFailures": 3 } }
            """));

        var check = await GatewayCli.RunAsync("config", "check", "--config", file);

        Assert.True(check.ExitCode == 2, check.ToString());
        string[] expected =
        [
            "Continuity:Tenant: unknown setting (did you mean 'Tenants'?)",
            "Continuity:Tenants:demo:Failover:Automatc: unknown setting (did you mean 'Automatic'?)",
            "Continuity:Tenants:demo:Providers:primary:Mail:Imapp: unknown setting (did you mean 'Imap'?)",
            "Continuity:Frobnicate: unknown setting; Continuity knows ",
            "Continuity:Identity:AccessTokens:Audience: unknown setting",
            "Continuity:Mail:Sync:PollIntervall: unknown setting (did you mean 'PollInterval'?)",
        ];
        Assert.All(expected, e => Assert.True(check.Stderr.Contains(e, StringComparison.Ordinal), $"missing: {e}\n{check}"));
        var errorLines = check.Stderr.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.True(errorLines.Count == expected.Length, check.ToString());
    }

    [Fact]
    public async Task ConfigCheck_RedirectUris_OnlyHttpsOrLoopbackHttpInDevelopment()
    {
        string Clients(bool insecure) => Config("""
            "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "primary", "Providers": { "primary": { "DisplayName": "P" } } }
            """, $$"""
            , "Identity": { "AllowInsecureHttp": {{(insecure ? "true" : "false")}}, "Clients": {
                "web": { "RedirectUris": [ "javascript:alert(1)", "http://app.example/cb", "https://app.example/cb#x", "https://app.example/cb" ],
                         "PostLogoutRedirectUris": [ "data:text/html,hi" ] },
                "native": { "RedirectUris": [ "http://127.0.0.1:8765/callback" ] } } }
            """);
        var production = await WriteAsync("redirects.json", Clients(insecure: false));
        var development = await WriteAsync("redirects-dev.json", Clients(insecure: true));

        var check = await GatewayCli.RunAsync("config", "check", "--config", production);
        var dev = await GatewayCli.RunAsync("config", "check", "--config", development);

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Contains("Continuity:Identity:Clients:web:RedirectUris:0: 'javascript:alert(1)' must be an https URL", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:Clients:web:RedirectUris:1: 'http://app.example/cb' must be https", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:Clients:web:RedirectUris:2: 'https://app.example/cb#x' must be an absolute https URL without fragment", check.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("RedirectUris:3", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:Clients:web:PostLogoutRedirectUris:0: 'data:text/html,hi'", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:Clients:native:RedirectUris:0: 'http://127.0.0.1:8765/callback' is http: allowed to a loopback address only with Continuity:Identity:AllowInsecureHttp", check.Stderr, StringComparison.Ordinal);
        Assert.True(dev.ExitCode == 2, dev.ToString());
        Assert.Contains("web:RedirectUris:0: 'javascript:alert(1)'", dev.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("native:RedirectUris", dev.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_ExternalStoreAndBackendsConfigured_NothingConnectsNothingStarts()
    {
        // One listener stands for the store, the upstream identity provider and the mail backend: none may be called.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var file = await WriteAsync("external.json", Config($$"""
            "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "primary", "Hosts": { "Login": "login.demo.test" },
              "Providers": { "primary": {
                "Identity": { "Authority": "http://127.0.0.1:{{port}}/", "ClientId": "continuity" },
                "Mail": { "Imap": "imap://127.0.0.1:{{port}}", "Inbound": "lmtp://127.0.0.1:{{port}}", "Login": { "Master": "gateway", "MasterPassword": "x" } } } } }
            """, $$"""
            , "State": { "Redis": "127.0.0.1:{{port}},abortConnect=false" }, "Identity": { "AllowInsecureHttp": true }
            """));

        var check = await GatewayCli.RunAsync("config", "check", "--config", file);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("configuration OK: 1 tenant(s), state external", check.Stdout, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "config check connected to the store or a backend");
        Assert.False(Directory.Exists(_dir.Combine("data")), "config check created the data directory");
    }

    [Fact]
    public async Task ConfigCheck_ShippedDemoConfig_Passes()
    {
        var check = await GatewayCli.RunAsync("config", "check", "--config", Path.Combine(RepoRoot(), "config", "demo.json"));

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("configuration OK: 1 tenant(s), state embedded", check.Stdout, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Continuity.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Continuity.sln not found above the test directory");
    }

    /// <summary>A configuration with these tenants and more sections after them (text starting with a comma).</summary>
    private string Config(string tenants, string more = "") =>
        $$"""{ "Continuity": { "Development": true, "DataDir": "{{_dir.Combine("data")}}", "Tenants": { {{tenants}} } {{more}} } }""";

    private async Task<string> WriteAsync(string name, string json)
    {
        var file = _dir.Combine(name);
        await File.WriteAllTextAsync(file, json);
        return file;
    }
}
