using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Configuration;

/// <summary><c>continuity config show</c> as its own process: the effective configuration, and never a secret.</summary>
[Trait("Category", "Server")]
public sealed partial class ConfigShowTests : IDisposable
{
    private readonly TempDirectory _dir = new("config-show");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ConfigShow_DemoConfig_EffectiveValuesShownSecretsNot()
    {
        var demo = Path.Combine(ConfigCheckTests.RepoRoot(), "config", "demo.json");
        var text = await File.ReadAllTextAsync(demo);

        var show = await GatewayCli.RunAsync("config", "show", "--config", demo);

        Assert.True(show.ExitCode == 0, show.ToString());
        var secrets = new[] { "demo-master-password-not-for-production" }.Concat(HashHex().Matches(text).Select(m => m.Value)).ToList();
        Assert.True(secrets.Count >= 5, "the demo configuration has its master password, three API key hashes and a client secret hash");
        Assert.All(secrets, s => Assert.DoesNotContain(s, show.Stdout, StringComparison.Ordinal));

        var tree = JsonNode.Parse(show.Stdout)!["Continuity"]!;
        var demoTenant = tree["Tenants"]!["demo"]!;
        Assert.Equal("1.00:00:00", (string?)demoTenant["Failover"]!["ApprovalTimeout"]);
        Assert.Equal("Viewer", (string?)demoTenant["Admins"]!["auditor@demo.test"]!["Role"]);
        Assert.Equal("sha256:…", (string?)demoTenant["Admins"]!["ops@demo.test"]!["ApiKeyHashes"]![0]);
        Assert.Equal("(redacted)", (string?)demoTenant["Providers"]!["primary"]!["Mail"]!["Login"]!["MasterPassword"]);
        Assert.Equal("gateway", (string?)demoTenant["Providers"]!["primary"]!["Mail"]!["Login"]!["Master"]);
        // Defaults the file does not set are shown too, and every bound section is there.
        Assert.Equal("00:00:02", (string?)tree["State"]!["RouteRecheckInterval"]);
        Assert.Equal("00:00:30", (string?)tree["Mail"]!["Sync"]!["PollInterval"]);
        Assert.NotNull(tree["Mail"]!["Access"]);
        Assert.NotNull(tree["Web"]);
        Assert.NotNull(tree["Credentials"]!["Throttle"]);
        Assert.Equal("mail", (string?)tree["Identity"]!["AccessTokens"]!["MailScope"]);
    }

    [Fact]
    public async Task ConfigShow_EverySecretSetting_RedactedPathsKept()
    {
        var keyFile = _dir.Combine("signing.pfx");
        await File.WriteAllTextAsync(keyFile, "not a real key");
        var file = _dir.Combine("secrets.json");
        await File.WriteAllTextAsync(file, $$"""
            { "Continuity": {
                "DataDir": "{{_dir.Combine("data")}}",
                "State": { "Redis": "127.0.0.1:6390,password=redis-secret-1,abortConnect=false" },
                "Tenants": { "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "primary", "Hosts": { "Login": "login.demo.test" },
                  "Providers": { "primary": {
                    "Identity": { "Authority": "https://someone:authority-secret-2@idp.example/", "ClientId": "c", "ClientSecret": "client-secret-3" },
                    "Mail": { "Imap": "imap://127.0.0.1:1", "Login": { "Mode": "OAuth2ClientCredentials",
                      "OAuth2": { "TokenEndpoint": "https://idp.example/token", "ClientId": "c", "ClientSecret": "oauth-secret-4", "Scope": "s" } } } } } } },
                "Identity": { "Keys": { "Signing": [ { "Path": "{{keyFile}}", "Password": "pfx-secret-5" } ] } },
                "Mail": { "Tls": { "CertificatePath": "/etc/cert.pem", "KeyPath": "/etc/key.pem", "Password": "tls-secret-6" },
                          "Access": { "Tls": { "Password": "access-tls-secret-7" } } } } }
            """);

        var show = await GatewayCli.RunAsync("config", "show", "--config", file);

        Assert.False(string.IsNullOrWhiteSpace(show.Stdout), show.ToString());
        Assert.All(Enumerable.Range(1, 7), i => Assert.DoesNotContain($"secret-{i}", show.Stdout, StringComparison.Ordinal));
        var tree = JsonNode.Parse(show.Stdout)!["Continuity"]!;
        Assert.Equal("127.0.0.1:6390,password=(redacted),abortConnect=false", (string?)tree["State"]!["Redis"]);
        Assert.Equal("https://someone:(redacted)@idp.example/", (string?)tree["Tenants"]!["demo"]!["Providers"]!["primary"]!["Identity"]!["Authority"]);
        Assert.Equal("https://idp.example/token", (string?)tree["Tenants"]!["demo"]!["Providers"]!["primary"]!["Mail"]!["Login"]!["OAuth2"]!["TokenEndpoint"]);
        Assert.Equal(keyFile, (string?)tree["Identity"]!["Keys"]!["Signing"]![0]!["Path"]);
        Assert.Equal("/etc/key.pem", (string?)tree["Mail"]!["Tls"]!["KeyPath"]);
        Assert.Equal("{continuity}:", (string?)tree["State"]!["KeyPrefix"]);
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex HashHex();
}
