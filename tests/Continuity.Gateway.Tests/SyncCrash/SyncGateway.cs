using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.SyncCrash;

/// <summary>
/// The real gateway as a child process with mailbox sync on: <c>dotnet continuity.dll serve --config FILE --data-dir DIR
/// --urls URL</c>, where FILE is <see cref="GatewayConfig.ToJson"/> of the test's options plus a
/// <c>Continuity:Mail:Sync</c> section (which <see cref="ContinuityOptions"/> does not carry, so
/// <see cref="GatewayProcess"/> cannot write it). Unlike <see cref="GatewayProcess"/>, <see cref="Start"/> returns as
/// soon as the process runs: sync starts before <c>/health/ready</c> answers, and the test must be able to kill the
/// process from the first copied message on. <see cref="Kill"/> is SIGKILL. Output is kept (bounded) for failure messages.
/// </summary>
internal sealed class SyncGateway : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);
    private readonly GatewayOutput _output = new(128 * 1024);
    private readonly string _config;
    private readonly string _dataDir;
    private Process? _process;

    public SyncGateway(ContinuityOptions options, JsonObject sync, string dir)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tree = JsonNode.Parse(GatewayConfig.ToJson(options))!.AsObject();
        tree[ContinuityOptions.SectionName]!.AsObject()["Mail"] = new JsonObject { ["Sync"] = sync };
        _config = Path.Combine(dir, "continuity.json");
        _dataDir = Path.Combine(dir, "data");
        File.WriteAllText(_config, tree.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public HttpClient Admin { get; private set; } = new();

    public string Output => _output.Text;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process (again: same configuration, same data directory) without waiting for it.</summary>
    public void Start()
    {
        var url = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var psi = new ProcessStartInfo(GatewayProcess.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { GatewayProcess.ExecutablePath, "serve", "--config", _config, "--data-dir", _dataDir, "--urls", url })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Continuity.Mail.Sync"] = "Information";
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        psi.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";

        _process?.Dispose();
        _output.Append($"[test] starting gateway: {string.Join(' ', psi.ArgumentList)}\n");
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => _output.AppendLine(e.Data);
        _process.ErrorDataReceived += (_, e) => _output.AppendLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Admin.Dispose();
        Admin = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(10) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayConfig.OpsKey);
    }

    /// <summary>Waits for <c>/health/ready</c>; fails at once if the process exits.</summary>
    public Task WaitReadyAsync() => Eventually.TrueAsync(async () =>
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException($"the gateway exited ({_process?.ExitCode}) before it was ready.\n{Output}");
        }

        try
        {
            using var response = await Admin.GetAsync(new Uri("health/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }, ReadyTimeout, "gateway ready");

    /// <summary>SIGKILL, as a power loss or the OOM killer: no shutdown code, no checkpoint flush.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            _output.Append("[test] gateway killed (SIGKILL)\n");
        }
    }

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

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Admin.Dispose();
        return ValueTask.CompletedTask;
    }

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
