using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Continuity.Testing;

namespace Continuity.Demo.Tests;

/// <summary>
/// The demo as the README starts it (<c>dotnet run --project demo/Continuity.Demo</c>), here the built launcher as its own
/// process: <c>dotnet continuity-demo.dll --ports free --data-dir DIR</c>. It starts the stand-ins and the gateway and
/// prints the URLs to open; this reads them from its output. Disposing sends SIGTERM (the launcher stops the gateway and
/// the stand-ins), kills what is left and deletes the data directory.
/// </summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    /// <summary>Generous: the launcher starts the gateway (JIT, embedded store, keys) on two shared cores.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);

    private readonly TempDirectory _dir = new("demo");
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private DemoProcess(Process process) => _process = process;

    public Uri WebApp { get; private set; } = null!;

    public Uri Console { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    public Uri PrimaryIdentity { get; private set; } = null!;

    public string DataDir => _dir.Path;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The gateway's own log (the launcher writes it to the data directory), for failure messages.</summary>
    public string GatewayLog => File.Exists(Path.Combine(DataDir, "gateway.log")) ? File.ReadAllText(Path.Combine(DataDir, "gateway.log")) : "(no gateway log)";

    public static async Task<DemoProcess> StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "continuity-demo.dll");
        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { dll, "--ports", "free" },
        };
        var demo = new DemoProcess(new Process { StartInfo = psi });
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(demo.DataDir);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (demo._output)
            {
                demo._output.AppendLine(line);
            }

            if (line.StartsWith("Continuity demo ready.", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        demo._process.OutputDataReceived += (_, e) => Append(e.Data);
        demo._process.ErrorDataReceived += (_, e) => Append(e.Data);
        demo._process.Start();
        demo._process.BeginOutputReadLine();
        demo._process.BeginErrorReadLine();
        var exited = demo._process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout)) != ready.Task)
        {
            var why = demo._process.HasExited ? $"exited with {demo._process.ExitCode}" : $"not ready within {StartTimeout.TotalSeconds} s";
            var message = $"The demo {why}.\n{demo.Output}\n--- gateway log ---\n{demo.GatewayLog}";
            await demo.DisposeAsync();
            throw new InvalidOperationException(message);
        }

        // The URL block follows the ready line; wait for its last line.
        await Eventually.TrueAsync(() => demo.Output.Contains("gateway log:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the demo's URL list");
        demo.WebApp = demo.Url("web app (through the gateway)");
        demo.Console = demo.Url("admin console");
        demo.Gateway = demo.Url("gateway (OIDC issuer)");
        demo.PrimaryIdentity = demo.Url("primary identity (DEMO)");
        return demo;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private Uri Url(string label)
    {
        var match = Regex.Match(Output, "^\\s*" + Regex.Escape(label) + ":\\s+(\\S+)", RegexOptions.Multiline);
        return match.Success ? new Uri(match.Groups[1].Value) : throw new InvalidOperationException($"The demo printed no '{label}' URL:\n{Output}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
