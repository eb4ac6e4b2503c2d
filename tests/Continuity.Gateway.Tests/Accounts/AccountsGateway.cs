using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Continuity.Gateway.Admin;
using Continuity.Gateway.Health;
using Continuity.Gateway.Hosting;
using Continuity.Gateway.Tests.Support;
using Continuity.Identity;
using Continuity.Identity.AdminSignIn;
using Continuity.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Continuity.Gateway.Tests.Accounts;

/// <summary>
/// The real gateway host (<see cref="GatewayHost.Build"/>) with the demo configuration with identity upstreams for both providers (<paramref name="customize"/>
/// may point them somewhere real); nothing needs to listen at them to import or revoke.
/// </summary>
internal sealed class AccountsGateway : IAsyncDisposable
{
    public const string PrimaryAuthority = "https://127.0.0.1:9/primary/";
    public const string SovereignAuthority = "https://127.0.0.1:9/sovereign/";

    private readonly WebApplication _app;
    private readonly TempDirectory _dir;

    private AccountsGateway(WebApplication app, TempDirectory dir, int port, RecentProblems problems)
    {
        Problems = problems;
        _app = app;
        _dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>The gateway's last warnings and errors, for failure messages.</summary>
    public RecentProblems Problems { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AccountsGateway> StartAsync(string redis, Action<JsonNode>? customize = null, int? port = null)
    {
        var dir = new TempDirectory("accounts-gateway");
        port ??= FreePort.Next();
        var json = JsonNode.Parse(InProcessGateway.ConfigJson(redis, dir.Combine("data"), approvals: 1, automatic: "Suggest"))!;
        WithUpstreams(json["Continuity"]!);
        customize?.Invoke(json["Continuity"]!);
        var configFile = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(configFile, json.ToJsonString());

        var app = GatewayHost.Build(["--urls", $"http://127.0.0.1:{port}"], configFile, null);
        var problems = new RecentProblems();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(problems);
        await app.StartAsync();
        return new AccountsGateway(app, dir, port.Value, problems);
    }

    public HttpClient Client(string? apiKey = InProcessGateway.OpsKey)
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
        _dir.Dispose();
    }

    private static void WithUpstreams(JsonNode continuity)
    {
        var demo = continuity["Tenants"]!["demo"]!;
        demo["Hosts"] = new JsonObject { ["Login"] = "login.demo.test" };
        demo["Providers"]!["primary"]!["Identity"] = Upstream(PrimaryAuthority);
        demo["Providers"]!["sovereign"]!["Identity"] = Upstream(SovereignAuthority);
    }

    private static JsonObject Upstream(string authority) =>
        new() { ["Authority"] = authority, ["ClientId"] = "continuity", ["ClientSecret"] = "upstream-secret" };
}
