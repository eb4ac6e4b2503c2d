using System.Diagnostics;
using System.Globalization;
using System.Text;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>
/// The real gateway as a child process (<c>dotnet continuity.dll serve --config FILE --data-dir DIR --urls URL</c>),
/// started from a configuration file the test wrote. <see cref="Kill"/> is SIGKILL: no shutdown code runs.
/// <see cref="StartAsync"/> waits for <c>/health/ready</c> (store reachable and listeners bound). Output is kept
/// (bounded) for failure messages.
/// </summary>
internal sealed class GatewayChild(string configFile, string dataDir) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);
    private const int MaxOutput = 128 * 1024;

    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private Process? _process;

    public HttpClient Http { get; private set; } = new();

    /// <summary>The child's management listener (health and metrics, no credentials).</summary>
    public HttpClient Management { get; private set; } = new();

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts (or starts again, on the same configuration and data directory) and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "continuity.dll");
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        // /metrics is not public: the child serves it on a management listener of its own (loopback, no credentials).
        var management = FreePort.Next();
        var psi = new ProcessStartInfo(GatewayProcess.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "serve", "--config", configFile, "--data-dir", dataDir, "--urls", url, "--Continuity:Listeners:Management", management.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        _process?.Dispose();
        Append($"[test] starting: {string.Join(' ', psi.ArgumentList)}");
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http.Dispose();
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        Management.Dispose();
        Management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(5) };

        var clock = Stopwatch.StartNew();
        while (!await IsReadyAsync())
        {
            if (_process.HasExited || clock.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException($"gateway not ready within {ReadyTimeout.TotalSeconds:0} s (exited: {_process.HasExited}).\n{Output}");
            }

            await Task.Delay(50); // polling a child process's HTTP port: nothing to wait on in-process
        }
    }

    /// <summary>SIGKILL, as a power loss or the OOM killer: no flush, no shutdown code.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Append("[test] gateway killed (SIGKILL)");
        }
    }

    /// <summary>Messages in the node's spool, from <c>/metrics</c> on the management listener.</summary>
    public async Task<int> QueuedAsync()
    {
        var metrics = await Management.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var line = metrics.Split('\n').Single(l => l.StartsWith("continuity_mail_queue_messages ", StringComparison.Ordinal));
        return int.Parse(line["continuity_mail_queue_messages ".Length..], CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        Management.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("health/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Append(line).Append('\n');
            if (_output.Length > MaxOutput)
            {
                _output.Remove(0, _output.Length - MaxOutput);
            }
        }
    }
}
