using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>
/// A real Dovecot submission service (RFC 6409) on 127.0.0.1 for the submission proxy's tests: passwd-file users,
/// the master user of <see cref="DovecotServer"/> (<c>user*gateway</c>), and a relay to <c>relayPort</c> (the test's
/// SMTP sink standing for the provider's outbound MTA). Fails, never skips, when dovecot-submissiond is missing.
/// </summary>
public sealed class DovecotProxySubmission : IDisposable
{
    private readonly TempDirectory _dir;
    private bool _stopped;

    private DovecotProxySubmission(TempDirectory dir)
    {
        _dir = dir;
        Port = FreePort.Next();
    }

    public int Port { get; }

    /// <summary><c>smtp://127.0.0.1:port</c>, the form of <c>Providers:*:Mail:Submission</c>.</summary>
    public string Uri => $"smtp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string LogPath => _dir.Combine("dovecot.log");

    public static DovecotProxySubmission Start(string name, int relayPort, params string[] users) => StartWithSettings(name, relayPort, null, users);

    /// <param name="extraSettings">More dovecot.conf lines, appended (e.g. an oauth2 passdb), or null.</param>
    public static DovecotProxySubmission StartWithSettings(string name, int relayPort, string? extraSettings, params string[] users)
    {
        var dovecot = RequiredProgram.Find("dovecot", "dovecot-core dovecot-submissiond");
        if (!File.Exists("/usr/lib/dovecot/submission"))
        {
            throw new InvalidOperationException("The tests need Dovecot's 'submission' service. Install it with: apt-get install -y dovecot-submissiond");
        }

        var dir = new TempDirectory($"dovecot-submission-{name}");
        var server = new DovecotProxySubmission(dir);
        try
        {
            DovecotConfig.WriteUsers(dir, users);
            File.WriteAllText(dir.Combine("dovecot.conf"), Render(dir.Path, name, server.Port, relayPort) + extraSettings + "\n");
            Run(dovecot, $"-c {dir.Combine("dovecot.conf")}");
            server.WaitUntilListening();
            server.WatchMaster();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_stopped)
        {
            _stopped = true;
            var pidFile = _dir.Combine("run", "master.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    Run("/bin/kill", pid.ToString(CultureInfo.InvariantCulture));
                    process.WaitForExit(10_000);
                }
                catch (ArgumentException)
                {
                }
            }
        }

        _dir.Dispose();
    }

    private static string Render(string dir, string name, int port, int relayPort) =>
        DovecotConfig.Common(dir, "continuity-submission", "submission") + string.Create(CultureInfo.InvariantCulture, $$"""
        hostname = {{name}}.provider.test
        submission_relay_host = 127.0.0.1
        submission_relay_port = {{relayPort}}
        submission_relay_trusted = yes
        service submission-login {
          inet_listener submission {
            address = 127.0.0.1
            port = {{port}}
          }
        }

        """);

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException e) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                _ = e;
                Thread.Yield();
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Dovecot submission did not listen on {Port}. Log:\n{(File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)")}", e);
            }
        }
    }

    /// <summary>
    /// The master writes its pid file after binding the port; a killed test run must not leave it behind
    /// (<see cref="ParentDeathGuard"/>), and <see cref="Dispose"/> needs the pid.
    /// </summary>
    private void WatchMaster()
    {
        var pidFile = _dir.Combine("run", "master.pid");
        if (!SpinWait.SpinUntil(() => File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out _), TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException($"Dovecot submission wrote no master.pid. Log:\n{(File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)")}");
        }

        ParentDeathGuard.WatchPidFile(pidFile);
    }

    /// <summary>
    /// Runs a short command. Output is not redirected: the daemonized Dovecot master can keep inherited pipes open,
    /// and reading them to the end would then never finish.
    /// </summary>
    private static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {program}");
        if (!process.WaitForExit(20_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed (exit {(process.HasExited ? process.ExitCode : -1)}); see its log");
        }
    }
}
