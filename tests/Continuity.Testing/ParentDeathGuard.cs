using System.Diagnostics;
using System.Globalization;

namespace Continuity.Testing;

/// <summary>
/// Servers a test starts (redis-server and Dovecot daemonize; the gateway and node run as children) would outlive a
/// test run that is killed — a CI timeout, a Ctrl-C —, holding ports and disk. Each gets a tiny watchdog: a shell loop
/// that ends with the server, and stops the server (TERM, then KILL) when the test process is gone.
/// </summary>
public static class ParentDeathGuard
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1" && kill -0 "$2"; do sleep 2; done
        if kill -0 "$2" && ! kill -0 "$1"; then
          kill -TERM "$2"; sleep 3; kill -KILL "$2"
        fi
        """;

    /// <summary>Stops the process <paramref name="pid"/> once this test process has ended without stopping it.</summary>
    public static void Watch(int pid) => Watch(pid, Environment.ProcessId);

    /// <summary>Stops the process <paramref name="pid"/> once the process <paramref name="parent"/> has ended without stopping it.</summary>
    public static void Watch(int pid, int parent)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList = { "-c", Script, "continuity-test-guard", parent.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture) },
        };
        using var guard = Process.Start(psi) ?? throw new InvalidOperationException("could not start the watchdog shell /bin/sh");
    }

    /// <summary>Watches the pid written in <paramref name="pidFile"/> (a daemon's own pid file).</summary>
    public static void WatchPidFile(string pidFile)
    {
        if (int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            Watch(pid);
        }
    }
}
