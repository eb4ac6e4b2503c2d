using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>
/// A private nginx on 127.0.0.1: its own prefix, config, pid and logs in a temp directory, <c>daemon off</c>, a child
/// process with a <see cref="ParentDeathGuard"/>. The caller gives the contexts (<c>http { … }</c>, <c>mail { … }</c>)
/// and the port they listen on; this writes the process-level lines around them and waits until the port answers.
/// Fails, never skips, when nginx (or the named module) is not installed.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly Process _process;

    private NginxProcess(TempDirectory dir, Process process, int port) => (_dir, _process, Port) = (dir, process, port);

    public int Port { get; }

    /// <param name="dir">The prefix (taken over: removed on dispose).</param>
    /// <param name="port">The port <paramref name="contexts"/> listens on.</param>
    /// <param name="workerProcesses"><c>worker_processes</c>: a number, or <c>auto</c> (Debian's default).</param>
    /// <param name="workerConnections"><c>events { worker_connections … }</c>.</param>
    /// <param name="contexts">The rest of nginx.conf.</param>
    /// <param name="module">A dynamic module to load first (its .so path) and the Debian package that has it, or null.</param>
    public static async Task<NginxProcess> StartAsync(
        TempDirectory dir, int port, string workerProcesses, int workerConnections, string contexts, (string Path, string DebianPackage)? module = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        Process process;
        try
        {
            process = Launch(dir, workerProcesses, workerConnections, contexts, module);
        }
        catch
        {
            dir.Dispose();
            throw;
        }

        ParentDeathGuard.Watch(process.Id);
        var nginx = new NginxProcess(dir, process, port);
        try
        {
            await Eventually.TrueAsync(nginx.ListeningAsync, TimeSpan.FromSeconds(20), $"nginx listening on 127.0.0.1:{port}").ConfigureAwait(false);
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Process Launch(TempDirectory dir, string workerProcesses, int workerConnections, string contexts, (string Path, string DebianPackage)? module)
    {
        var binary = RequiredProgram.Find("nginx", module is { } m ? "nginx " + m.DebianPackage : "nginx");
        if (module is { } required && !File.Exists(required.Path))
        {
            throw new InvalidOperationException($"nginx's module {required.Path} is not installed. Install it with: apt-get install -y {required.DebianPackage}");
        }

        var load = module is { } loaded ? $"load_module {loaded.Path};\n" : "";
        File.WriteAllText(dir.Combine("nginx.conf"), load + string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes {{workerProcesses}};
            pid {{dir.Combine("nginx.pid")}};
            error_log {{dir.Combine("error.log")}} warn;
            events { worker_connections {{workerConnections}}; }
            {{contexts}}

            """));
        return Process.Start(new ProcessStartInfo(binary, $"-p {dir.Path} -c {dir.Combine("nginx.conf")}")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("could not start nginx");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        _dir.Dispose();
    }

    /// <summary>True once the port accepts a connection; throws with nginx's errors when it has exited instead.</summary>
    private async Task<bool> ListeningAsync()
    {
        if (_process.HasExited)
        {
            var log = File.Exists(_dir.Combine("error.log")) ? await File.ReadAllTextAsync(_dir.Combine("error.log")).ConfigureAwait(false) : "";
            throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {await _process.StandardError.ReadToEndAsync().ConfigureAwait(false)}{log}");
        }

        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
