using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Testing;

namespace Continuity.Demo.Tests;

/// <summary>
/// The shipped config/demo.json run by the built gateway with none of its backends there (what the README's old run
/// command did): the primary's identity upstream goes red, and so does the sovereign's. The gateway must not suggest
/// moving the tenant to the sovereign side, which is just as dead; /health/status says what it held back and why.
/// Probes are made short (1 s, down after 2 s) and the backends' ports are free ones nothing listens on, so a demo
/// running on the default ports cannot answer for them.
/// </summary>
[Trait("Category", "Server")]
public sealed class ShippedConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new("demo-config");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ShippedDemoConfig_EveryBackendDown_NoTenantSuggestionAndStatusSaysWhy()
    {
        var port = FreePort.Next();
        var config = _dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, DeadBackends(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "demo.json"))));
        var output = new StringBuilder();
        using var gateway = Start(config, port, output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "demo-ops-key");
            JsonElement tenant = default;
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var status = JsonDocument.Parse(await http.GetStringAsync("health/status"));
                    tenant = status.RootElement.GetProperty("tenants")[0].Clone();
                    return tenant.GetProperty("withheldSuggestions").EnumerateArray().Any(w => w.GetProperty("provider").GetString() == "primary");
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            }, TimeSpan.FromSeconds(90), "a withheld tenant suggestion for the primary in /health/status");

            var held = tenant.GetProperty("withheldSuggestions").EnumerateArray().First(w => w.GetProperty("provider").GetString() == "primary");
            Assert.Equal("sovereign", held.GetProperty("wouldMoveTo").GetString());
            Assert.Equal("sovereign is down too", held.GetProperty("why").GetString());
            Assert.Contains(held.GetProperty("targetDown").EnumerateArray(), d => d.GetString()!.StartsWith("identity http://127.0.0.1:", StringComparison.Ordinal));
            Assert.Empty(tenant.GetProperty("pendingApprovals").EnumerateArray());
            using var approvals = JsonDocument.Parse(await http.GetStringAsync("admin/api/approvals"));
            Assert.Empty(approvals.RootElement.EnumerateArray());
            var audit = await http.GetStringAsync("admin/api/audit?tenant=demo");
            Assert.Contains("not suggested: sovereign is down too", audit, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            throw new InvalidOperationException($"{e.Message}\n--- gateway output ---\n{(log.Length > 20_000 ? log[^20_000..] : log)}", e);
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    /// <summary>config/demo.json with every loopback backend on a free port nobody listens on, short identity probes, no mail listeners.</summary>
    private static string DeadBackends(string json)
    {
        foreach (var used in new[] { 5101, 5102, 5201, 5202, 2601, 2602, 2611, 2612 })
        {
            json = json.Replace($"127.0.0.1:{used.ToString(CultureInfo.InvariantCulture)}", $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
        }

        var root = JsonNode.Parse(json)!.AsObject();
        var continuity = root["Continuity"]!.AsObject();
        continuity.Remove("DataDir");
        continuity["Listeners"]!["Smtp"] = 0;
        continuity["Listeners"]!["Imap"] = 0;
        continuity["Identity"]!["Probes"] = new JsonObject { ["Interval"] = "00:00:01", ["Timeout"] = "00:00:01", ["DownAfter"] = "00:00:02" };
        return root.ToJsonString();
    }

    private Process Start(string config, int port, StringBuilder output)
    {
        var psi = new ProcessStartInfo(GatewayProcess.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "continuity.dll"), "serve", "--config", config,
                "--data-dir", _dir.Combine("data"), "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            },
        };
        var process = new Process { StartInfo = psi };
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
