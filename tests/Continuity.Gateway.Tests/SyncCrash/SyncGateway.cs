using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.SyncCrash;

/// <summary>
/// The real gateway as a child process (<see cref="GatewayProcess"/>) with mailbox sync on: the configuration file is
/// <see cref="GatewayConfig.ToJson"/> of the test's options plus a <c>Continuity:Mail:Sync</c> section (which
/// <see cref="ContinuityOptions"/> does not carry). <see cref="Start"/> returns as soon as the process runs: sync
/// starts before <c>/health/ready</c> answers, and the test must be able to kill the process from the first copied
/// message on. <see cref="Kill"/> is SIGKILL. Output is kept (bounded) for failure messages.
/// </summary>
internal sealed class SyncGateway : IAsyncDisposable
{
    private static readonly Dictionary<string, string?> Logging = new()
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Continuity.Mail.Sync"] = "Information",
    };

    private readonly GatewayProcess _gateway;

    public SyncGateway(ContinuityOptions options, JsonObject sync)
    {
        ArgumentNullException.ThrowIfNull(options);
        _gateway = GatewayProcess.Create(
            "sync", options, root => root[ContinuityOptions.SectionName]!.AsObject()["Mail"] = new JsonObject { ["Sync"] = sync }, Logging);
    }

    public HttpClient Admin => _gateway.Admin;

    public string Output => _gateway.Output;

    public bool IsRunning => _gateway.IsRunning;

    /// <summary>Starts the process (again: same configuration, same data directory) without waiting for it.</summary>
    public void Start() => _gateway.Launch();

    /// <summary>Waits for <c>/health/ready</c>; fails at once if the process exits.</summary>
    public Task WaitReadyAsync() => _gateway.WaitReadyAsync();

    /// <summary>SIGKILL, as a power loss or the OOM killer: no shutdown code, no checkpoint flush.</summary>
    public void Kill() => _gateway.Kill();

    /// <summary><c>GET /admin/api/tenants/{tenant}/sync/{user}</c>; null while the user has no sync state (404).</summary>
    public async Task<JsonElement?> SyncStateAsync(string user)
    {
        using var response = await Admin.GetAsync(new Uri($"admin/api/tenants/{GatewayConfig.Tenant}/sync/{user}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ParseAsync(response, "GET sync state");
    }

    /// <summary><c>POST /admin/api/tenants/{tenant}/sync/{user}/run</c>: one more run now; its resulting state.</summary>
    public async Task<JsonElement> SyncNowAsync(string user)
    {
        using var content = new StringContent("", Encoding.UTF8, "application/json");
        using var response = await Admin.PostAsync(new Uri($"admin/api/tenants/{GatewayConfig.Tenant}/sync/{user}/run", UriKind.Relative), content);
        return await ParseAsync(response, "POST sync run");
    }

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();

    private async Task<JsonElement> ParseAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}\n{Output}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
