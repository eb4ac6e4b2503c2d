using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;

namespace Continuity.Testing;

/// <summary>
/// The real gateway as a child process: <c>dotnet continuity.dll serve --config FILE --data-dir DIR
/// --urls http://127.0.0.1:PORT</c>, with the configuration the test supplies. Output is kept (the
/// last 256 KB) for failure messages. <see cref="Kill"/> is SIGKILL, <see cref="StopAsync"/> is
/// SIGTERM and a wait; <see cref="RestartAsync"/> starts again with the same data directory.
/// <see cref="FromConfigFile"/> makes one from a configuration file the test wrote itself (not started: call
/// <see cref="StartAsync()"/>, then Kill and StartAsync again as often as the test needs), optionally with the
/// management listener (<see cref="Management"/>, <see cref="QueuedAsync"/>).
/// Disposing kills what is still running and deletes the directories this object made.
/// </summary>
/// <remarks>
/// <c>continuity.dll</c> is looked up next to the test assembly: a test project that uses this
/// class references <c>src/Continuity.Gateway</c>, which copies the executable into its output.
/// </remarks>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    /// <summary>Generous: two cores shared with other builds, JIT, and a store that may be down (2 s connect timeout).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);

    private const int MaxOutputChars = 256 * 1024;

    private readonly TempDirectory _home = new("gateway");
    private readonly GatewayOutput _output = new(MaxOutputChars);
    private Process? _process;
    private HttpClient? _admin;
    private HttpClient? _anonymous;
    private bool _exitNoted;
    private string _readyPath = "health/ready";

    private readonly int? _port;
    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private readonly ContinuityOptions? _options;
    private readonly bool _managementListener;
    private HttpClient? _management;

    private GatewayProcess(string name, ContinuityOptions options, string? dataDir, Action<JsonObject>? sections, int? port, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Name = name;
        _environment = environment;
        _options = options;
        _port = port;
        DataDir = dataDir ?? _home.Combine("data");
        ConfigFile = _home.Combine("continuity.json");
        File.WriteAllText(ConfigFile, GatewayConfig.ToJson(options, sections));
    }

    private GatewayProcess(string name, string configFile, string dataDir, bool managementListener, IReadOnlyDictionary<string, string?>? environment)
    {
        Name = name;
        _environment = environment;
        _managementListener = managementListener;
        DataDir = dataDir;
        ConfigFile = configFile;
    }

    /// <summary>A label for messages (<c>A</c>, <c>B</c>, …).</summary>
    public string Name { get; }

    /// <summary>The options the configuration file was written from (not known for <see cref="FromConfigFile"/>).</summary>
    public ContinuityOptions Options =>
        _options ?? throw new InvalidOperationException($"gateway {Name} runs from the test's own configuration file {ConfigFile}");

    public string ConfigFile { get; }

    /// <summary>The node's data directory (embedded store, fail-static snapshot); kept across restarts.</summary>
    public string DataDir { get; }

    /// <summary>The fail-static route copy the node writes.</summary>
    public string SnapshotFile => Path.Combine(DataDir, "routes.snapshot.json");

    /// <summary><c>http://127.0.0.1:PORT/</c> of the current run (a new free port at each start, unless one was given).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client that sends the demo operator's key (<see cref="GatewayConfig.OpsKey"/>).</summary>
    public HttpClient Admin => _admin ?? throw new InvalidOperationException($"gateway {Name} is not started");

    /// <summary>A client without credentials (health endpoints, 401 checks).</summary>
    public HttpClient Anonymous => _anonymous ?? throw new InvalidOperationException($"gateway {Name} is not started");

    /// <summary>
    /// The management listener of the current run (health, status and <c>/metrics</c>, loopback, no credentials; a new
    /// free port at each start); only for <see cref="FromConfigFile"/> with <c>managementListener</c>.
    /// </summary>
    public HttpClient Management => _management ?? throw new InvalidOperationException(
        _managementListener ? $"gateway {Name} is not started" : $"gateway {Name} was made without a management listener");

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>Everything the process wrote to stdout and stderr (all runs, newest last, bounded).</summary>
    public string Output => _output.Text;

    /// <summary>Lines the process wrote (stdout and stderr) over all its runs, including those the 256 KB bound dropped.</summary>
    public int OutputLines => _output.Lines;

    /// <summary>For the <c>environment</c> parameters: the node logs warnings and errors only (load tests, whose output would be mostly request lines).</summary>
    public static IReadOnlyDictionary<string, string?> WarningsOnly { get; } =
        new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning" };

    /// <summary>Full path of <c>continuity.dll</c> next to the running test assembly.</summary>
    public static string ExecutablePath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "continuity.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"continuity.dll is not next to the test assembly ({AppContext.BaseDirectory}): add a ProjectReference to src/Continuity.Gateway.");
        }
    }

    /// <summary>The <c>dotnet</c> host running the tests (the SDK sets DOTNET_HOST_PATH), else <c>dotnet</c> on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>
    /// Writes <paramref name="options"/> as the configuration file, starts the gateway and waits for
    /// <c>/health/ready</c>. <paramref name="dataDir"/>: a directory the caller owns, or null for one of this object's own.
    /// </summary>
    /// <param name="sections">
    /// Adds what <see cref="ContinuityOptions"/> does not carry to the file (see <see cref="GatewayConfig.ToJson"/>), or null.
    /// </param>
    /// <param name="port">
    /// The HTTP port, when the caller must know it before the start (an issuer or redirect URI in other parts'
    /// configuration); null: a new free port at each start.
    /// </param>
    /// <param name="environment">
    /// Environment variables set last, over this class's own (e.g. <c>Logging__Console__FormatterName=json</c>; a null
    /// value removes one, e.g. this class's console timestamp format); or null.
    /// </param>
    public static async Task<GatewayProcess> StartAsync(
        string name, ContinuityOptions options, string? dataDir = null, Action<JsonObject>? sections = null, int? port = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateway = new GatewayProcess(name, options, dataDir, sections, port, environment);
        try
        {
            await gateway.StartProcessAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="StartAsync"/>, but waits only until the node answers <c>/health/live</c>: for nodes that are
    /// meant to start not ready (no store and no fail-static copy).
    /// </summary>
    public static async Task<GatewayProcess> StartLiveAsync(string name, ContinuityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateway = new GatewayProcess(name, options, null, null, null) { _readyPath = "health/live" };
        try
        {
            await gateway.StartProcessAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="StartAsync(string, ContinuityOptions, string?, Action{JsonObject}?, int?, IReadOnlyDictionary{string, string?}?)"/>
    /// (configuration file and data directory of this object's own) but not started: call <see cref="StartAsync()"/>,
    /// or <see cref="Launch"/> to start without waiting.
    /// </summary>
    public static GatewayProcess Create(
        string name, ContinuityOptions options, Action<JsonObject>? sections = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GatewayProcess(name, options, null, sections, null, environment);
    }

    /// <summary>
    /// A gateway that runs from <paramref name="configFile"/> (which the test wrote and owns) on <paramref name="dataDir"/>
    /// (also the caller's), not yet started: call <see cref="StartAsync()"/>.
    /// </summary>
    /// <param name="managementListener">
    /// Also serve the management listener (<c>--Continuity:Listeners:Management PORT</c>), for <see cref="Management"/>
    /// and <see cref="QueuedAsync"/>: <c>/metrics</c> is not served on the public port.
    /// </param>
    /// <param name="environment">As for <see cref="StartAsync(string, ContinuityOptions, string?, Action{JsonObject}?, int?, IReadOnlyDictionary{string, string?}?)"/>.</param>
    public static GatewayProcess FromConfigFile(
        string name, string configFile, string dataDir, bool managementListener = false, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configFile);
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        return new GatewayProcess(name, configFile, dataDir, managementListener, environment);
    }

    /// <summary>
    /// Starts the process (again, after <see cref="Kill"/>: same configuration and data directory) and waits for
    /// <c>/health/ready</c>. A process that still runs is killed first.
    /// </summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            Kill();
        }

        await StartProcessAsync();
    }

    /// <summary>Kills the process if it still runs, then starts it again with the same configuration and data directory.</summary>
    public Task RestartAsync() => StartAsync();

    private async Task StartProcessAsync()
    {
        Launch();
        await WaitReadyAsync();
    }

    /// <summary>Messages in the node's spool: <c>continuity_mail_queue_messages</c> from <c>/metrics</c> on <see cref="Management"/>.</summary>
    public async Task<int> QueuedAsync()
    {
        const string Metric = "continuity_mail_queue_messages ";
        var metrics = await Management.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(Metric, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no {Metric.TrimEnd()} in gateway {Name}'s /metrics:\n{metrics}");
        return int.Parse(line[Metric.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine loses power or the OOM killer strikes.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        if (_process.HasExited)
        {
            if (!_exitNoted)
            {
                _output.Append($"[test] gateway {Name} had already exited with code {_process.ExitCode}\n");
            }
        }
        else
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _output.Append($"[test] gateway {Name} killed (SIGKILL)\n");
        }

        _exitNoted = true;
        DisposeClients();
    }

    /// <summary>SIGTERM and a wait for the exit, as <c>systemctl stop</c> does. Fails if it does not exit in time.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"gateway {Name} did not exit within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s of SIGTERM; killed.\n{Describe()}");
        }

        _output.Append($"[test] gateway {Name} stopped (SIGTERM), exit code {_process.ExitCode}\n");
        _exitNoted = true;
        DisposeClients();
    }

    /// <summary>The exit code of the last run (null while it runs or before it started).</summary>
    public int? ExitCode => _process is { HasExited: true } ? _process.ExitCode : null;

    /// <summary>Name, address, state and captured output, for assertion messages.</summary>
    public string Describe() =>
        $"gateway {Name} at {BaseAddress} ({(IsRunning ? "running" : $"exited {ExitCode}")}), data {DataDir}\n--- output ---\n{Output}--- end of output ---";

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process?.Dispose();
        _process = null;
        DisposeClients();
        _home.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Starts the process (again: same configuration and data directory; a running one is killed first) and returns
    /// at once, for tests that must be able to kill it before it is ready; <see cref="WaitReadyAsync"/> waits.
    /// </summary>
    public void Launch()
    {
        if (IsRunning)
        {
            Kill();
        }

        _process?.Dispose();
        _exitNoted = false;
        var port = _port ?? FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _home.Path,
        };
        foreach (var arg in new[] { ExecutablePath, "serve", "--config", ConfigFile, "--data-dir", DataDir, "--urls", BaseAddress.ToString().TrimEnd('/') })
        {
            psi.ArgumentList.Add(arg);
        }

        var management = _managementListener ? FreePort.Next() : (int?)null;
        if (management is { } managementPort)
        {
            psi.ArgumentList.Add("--Continuity:Listeners:Management");
            psi.ArgumentList.Add(managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Small footprint: four engineers share two cores; no telemetry or first-run noise.
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning"; // a line per probe request drowns the rest
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        psi.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in _environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        _output.Append($"[test] starting gateway {Name}: dotnet {string.Join(' ', psi.ArgumentList)}\n");
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => _output.AppendLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start gateway {Name}");
        }

        _process = process;
        ParentDeathGuard.Watch(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        _anonymous = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayConfig.OpsKey);
        if (management is { } managementAt)
        {
            _management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementAt}/"), Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    /// <summary>Waits for <c>/health/ready</c> (<c>/health/live</c> for <see cref="StartLiveAsync"/>); fails at once if the process exits.</summary>
    public async Task WaitReadyAsync()
    {
        var last = "no answer yet";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (_process!.HasExited)
                {
                    throw new InvalidOperationException($"gateway {Name} exited with code {_process.ExitCode} before it was ready.\n{Describe()}");
                }

                try
                {
                    using var response = await _anonymous!.GetAsync(_readyPath);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException ex)
                {
                    last = ex.Message;
                    return false;
                }
                catch (TaskCanceledException)
                {
                    last = "request timed out";
                    return false;
                }
            }, StartTimeout, $"gateway {Name} ready");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"gateway {Name} was not ready within {StartTimeout.TotalSeconds:0} s (last /{_readyPath}: {last}).\n{Describe()}");
        }
    }

    private void DisposeClients()
    {
        _admin?.Dispose();
        _anonymous?.Dispose();
        _management?.Dispose();
        _admin = null;
        _anonymous = null;
        _management = null;
    }
}
