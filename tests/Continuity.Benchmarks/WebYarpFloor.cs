using System.Diagnostics;
using System.Net.Sockets;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Continuity.Benchmarks;

/// <summary>
/// The floor under the web gateway: YARP alone (one route, one cluster, the benchmark's static backend; no session,
/// route lookup, assertion, transforms or logging) in Kestrel on 127.0.0.1, as its own process of this executable
/// (<c>web-yarp PORT BACKEND_URL</c>) with server GC like the gateway. What the gateway costs on top of the framework
/// it is built on, and what that framework reaches next to nginx, in the same run.
/// </summary>
internal sealed class WebYarpFloor : IAsyncDisposable
{
    public const string Verb = "web-yarp";

    private readonly Process _process;

    private WebYarpFloor(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    /// <summary>The child process's side: serve until killed.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        if (args is not [_, var portText, var backend] || !int.TryParse(portText, out var port) || !Uri.TryCreate(backend, UriKind.Absolute, out _))
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} PORT BACKEND_URL");
            return 2;
        }

        // The same builder as the gateway (not the slim one), so the floor differs from it only by what the gateway adds.
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.ListenLocalhost(port);
        });
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "{**rest}" } }],
            [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["static"] = new() { Address = backend } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts this executable in <see cref="Verb"/> mode and waits until it accepts connections.</summary>
    public static async Task<WebYarpFloor> StartAsync(string backendUrl)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(GatewayProcess.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[typeof(WebYarpFloor).Assembly.Location, Verb, port.ToString(System.Globalization.CultureInfo.InvariantCulture), backendUrl])
        {
            start.ArgumentList.Add(argument);
        }

        // The gateway's runtime settings that matter here: server GC (this executable's own runtimeconfig has workstation GC).
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the bare YARP process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var floor = new WebYarpFloor(process, port);
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the bare YARP process exited with {process.ExitCode}");
                }

                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync("127.0.0.1", port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, GatewayProcess.StartTimeout, "bare YARP listening");
        }
        catch
        {
            await floor.DisposeAsync();
            throw;
        }

        return floor;
    }

    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the bare YARP process exited during the benchmark ({_process.ExitCode})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
