using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Hosting;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// The real gateway host (the one <c>continuity serve</c> builds) on Kestrel at 127.0.0.1 and a
/// free port, in this process, against a real store, under a key prefix of its own.
/// </summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    public const string OpsKey = "demo-ops-key";
    public const string SecondKey = "demo-second-admin-key";
    public const string ViewerKey = "demo-viewer-key";
    public const string OtherTenantKey = "other-ops-key";

    private readonly WebApplication _app;
    private readonly List<TempDirectory> _dirs = [];

    private InProcessGateway(WebApplication app, int port, string configFile, RecentProblems problems)
    {
        _app = app;
        Problems = problems;
        Port = port;
        ConfigFile = configFile;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string ConfigFile { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The gateway's last warnings and errors, for failure messages.</summary>
    public RecentProblems Problems { get; }

    /// <param name="port">The HTTP port when the caller must know it before the start (an issuer in <paramref name="customize"/>); null: a free one.</param>
    public static async Task<InProcessGateway> StartAsync(
        string? redis, int approvals = 1, string automatic = "Suggest", int smtpPort = 0, string? primaryInbound = null, Action<JsonNode>? customize = null,
        int? port = null)
    {
        var dir = new TempDirectory("gateway");
        port ??= FreePort.Next();
        var configFile = dir.Combine("continuity.json");
        var json = JsonNode.Parse(ConfigJson(redis, dir.Combine("data"), approvals, automatic, smtpPort, primaryInbound))!;
        customize?.Invoke(json["Continuity"]!);
        await File.WriteAllTextAsync(configFile, json.ToJsonString());
        var app = GatewayHost.Build(["--urls", $"http://127.0.0.1:{port}"], configFile, null);
        var problems = new RecentProblems();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(problems);
        await app.StartAsync();
        var gateway = new InProcessGateway(app, port.Value, configFile, problems);
        gateway._dirs.Add(dir);
        return gateway;
    }

    /// <summary>An HTTP client for the admin API with <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey = OpsKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dirs.ForEach(d => d.Dispose());
    }

    /// <summary>The demo tenant (alice, bob; ops, second, viewer) plus tenant <c>other</c> with its own admin.</summary>
    public static string ConfigJson(string? redis, string dataDir, int approvals, string automatic, int smtpPort = 0, string? primaryInbound = null)
    {
        static string Hash(string key) => Continuity.Gateway.Admin.AdminKeyring.Hash(key);
        var config = new
        {
            Continuity = new
            {
                DataDir = dataDir,
                // A test node: generated identity keys, clear Data Protection keys in the external test store.
                Development = true,
                Listeners = new { Address = "127.0.0.1", Smtp = smtpPort },
                State = new { Redis = redis, KeyPrefix = "{g" + Guid.NewGuid().ToString("N")[..12] + "}:", RouteRecheckInterval = "00:00:00.500" },
                Tenants = new Dictionary<string, object>
                {
                    ["demo"] = new
                    {
                        Domains = new[] { "demo.test" },
                        DefaultProvider = "primary",
                        SovereignProvider = "sovereign",
                        Failover = new { Automatic = automatic, Approvals = approvals, ApprovalTimeout = "01:00:00" },
                        Users = new[] { "alice@demo.test", "bob@demo.test" },
                        Admins = new Dictionary<string, object>
                        {
                            ["ops@demo.test"] = new { Role = "Operator", ApiKeyHashes = new[] { Hash(OpsKey) } },
                            ["second@demo.test"] = new { Role = "Operator", ApiKeyHashes = new[] { Hash(SecondKey) } },
                            ["auditor@demo.test"] = new { Role = "Viewer", ApiKeyHashes = new[] { Hash(ViewerKey) } },
                        },
                        Providers = new Dictionary<string, object>
                        {
                            ["primary"] = primaryInbound is null ? new { } : new { Mail = new { Inbound = primaryInbound } },
                            ["sovereign"] = new { },
                        },
                    },
                    ["other"] = new
                    {
                        Domains = new[] { "other.test" },
                        DefaultProvider = "primary",
                        Admins = new Dictionary<string, object> { ["ops@other.test"] = new { ApiKeyHashes = new[] { Hash(OtherTenantKey) } } },
                        Providers = new Dictionary<string, object> { ["primary"] = new { } },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(config);
    }
}
