using System.Diagnostics;

namespace Continuity.Demo.Launcher;

/// <summary>
/// The real gateway, as users run it: <c>dotnet continuity.dll serve --config FILE --data-dir DIR --urls URL</c>, its own
/// process. <c>continuity.dll</c> is built with the demo (a project reference) and sits next to the launcher. Its output
/// goes to <c>&lt;data dir&gt;/gateway.log</c>.
/// </summary>
internal sealed class GatewayChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private GatewayChild(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public string LogFile { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public static GatewayChild Start(string config, string dataDir, Uri url, string logFile)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "continuity.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the demo with dotnet build demo/Continuity.Demo (it builds the gateway too)");
        }

        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { dll, "serve", "--config", config, "--data-dir", dataDir, "--urls", url.AbsoluteUri.TrimEnd('/') },
        };
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new GatewayChild(process, log) { LogFile = logFile };
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; false when the gateway exited or <paramref name="timeout"/> passed.</summary>
    public async Task<bool> WaitReadyAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var clock = Stopwatch.StartNew();
        while (!_process.HasExited && clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url, "health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One slow answer on a busy machine; ask again.
            }

            await period.WaitForNextTickAsync(cancellationToken);
        }

        return false;
    }

    /// <summary>SIGTERM (as <c>systemctl stop</c>), then a kill after 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                {
                    await term!.WaitForExitAsync();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (Exception)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>The <c>dotnet</c> host that runs us (the SDK sets DOTNET_HOST_PATH under dotnet run), else <c>dotnet</c> on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
