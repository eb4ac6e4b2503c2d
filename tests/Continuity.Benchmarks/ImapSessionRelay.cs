using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// A reference for the NOOP figure: <c>ImapSessionRelay.c</c> (compiled by imap-vs-nginx.sh, passed with
/// <c>--relay PATH</c>), a relay with no logic at all in front of the same Dovecot. Whatever a proxy costs beyond this
/// is the proxy's own; what this costs is the extra hop through user space that every proxy pays.
/// </summary>
internal sealed class ImapSessionRelay : IDisposable
{
    private readonly Process _process;

    private ImapSessionRelay(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public static async Task<ImapSessionRelay> StartAsync(string binary, int backendPort)
    {
        var port = FreePort.Next();
        var process = Process.Start(new ProcessStartInfo(binary, [port.ToString(CultureInfo.InvariantCulture), backendPort.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start {binary}");
        var relay = new ImapSessionRelay(process, port);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return relay; // the probe's connection makes the relay open one to Dovecot and close it again: harmless
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20).ConfigureAwait(false); // another process starting: nothing to wait on but polling
            }
            catch
            {
                relay.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
