using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Continuity.Testing;

/// <summary>
/// A real Dovecot 2.3 on 127.0.0.1 for tests: its own base_dir, passwd-file users (uid 65534: mail cannot be owned
/// by root), Maildir under a temp directory, LMTP and IMAP on free ports, a master user for logging in as any user
/// (<c>user*gateway</c>). Fails, never skips, when Dovecot is not installed. Dispose stops it and removes everything.
/// </summary>
public sealed class DovecotServer : IDisposable
{
    public const string MasterUser = "gateway";
    public const string MasterPassword = "master-secret";
    public const string UserPassword = "secret";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);

    private static readonly string[] MaildirParts = ["new", "cur"];
    private readonly TempDirectory _dir;
    private bool _stopped;

    private string _firstUser = "nobody@demo.test";

    private DovecotServer(TempDirectory dir, string name)
    {
        _dir = dir;
        Name = name;
        LmtpPort = FreePort.Next();
        ImapPort = FreePort.Next();
    }

    public string Name { get; }

    public int LmtpPort { get; }

    public int ImapPort { get; }

    /// <summary><c>lmtp://127.0.0.1:port</c>, the form of <c>Providers:*:Mail:Inbound</c>.</summary>
    public string LmtpUri => $"lmtp://127.0.0.1:{LmtpPort.ToString(CultureInfo.InvariantCulture)}";

    public string ImapUri => $"imap://127.0.0.1:{ImapPort.ToString(CultureInfo.InvariantCulture)}";

    public string LogPath => _dir.Combine("dovecot.log");

    private string BaseDir => _dir.Combine("run");

    /// <summary>Starts Dovecot with these users (password <see cref="UserPassword"/>) and waits until LMTP and IMAP accept connections.</summary>
    public static DovecotServer Start(string name, params string[] users)
    {
        var dovecot = RequiredProgram.Find("dovecot", "dovecot-core dovecot-lmtpd dovecot-imapd");
        RequireModule("lmtp", "dovecot-lmtpd");
        RequireModule("imap", "dovecot-imapd");
        var dir = new TempDirectory($"dovecot-{name}");
        var server = new DovecotServer(dir, name);
        try
        {
            server.Configure(users);
            server.Run(dovecot, $"-c {server._dir.Combine("dovecot.conf")}");
            server.WaitUntilListening();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Messages in the user's INBOX (Maildir new/ and cur/), as text, oldest first.</summary>
    public IReadOnlyList<string> Messages(string user)
    {
        var maildir = Path.Combine(_dir.Combine("mail"), user, "Maildir");
        return [.. MaildirParts
            .Select(d => Path.Combine(maildir, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f, Encoding.UTF8))];
    }

    /// <summary>Messages of the user that contain <paramref name="marker"/>.</summary>
    public int Count(string user, string marker) => Messages(user).Count(m => m.Contains(marker, StringComparison.Ordinal));

    /// <summary>Stops Dovecot (SIGTERM to the master) and waits for it; the mail stays until <see cref="Dispose"/>.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var pidFile = Path.Combine(BaseDir, "master.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            Run("/bin/kill", pid.ToString(CultureInfo.InvariantCulture));
            if (!process.WaitForExit(30_000))
            {
                // Kill is asynchronous: a Restart right after must not find the old master still running.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        // An exited master can linger as a zombie until PID 1 reaps it; dovecot would read the stale pid file and
        // refuse a Restart as "already running".
        File.Delete(pidFile);
    }

    /// <summary>Starts it again after <see cref="Stop"/>, on the same ports and with the same mail.</summary>
    public void Restart()
    {
        if (!_stopped)
        {
            return;
        }

        Run(RequiredProgram.Find("dovecot", "dovecot-core"), $"-c {_dir.Combine("dovecot.conf")}");
        _stopped = false;
        WaitUntilListening();
    }

    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }

    /// <summary>
    /// Gives the master user another password (Dovecot's passwd-file is read again when it changes): the gateway's
    /// configured master password stops working, as when someone rotates it on the mail side only. Dovecot looks at
    /// the file at most once a second, so this returns once a master login with the new password works (before, a check
    /// in the same second as the last login still got in with the old one).
    /// </summary>
    public Task ChangeMasterPasswordAsync(string password)
    {
        DovecotConfig.WriteMaster(_dir, password);
        return Eventually.TrueAsync(() => MasterLoginWorks(password), TimeSpan.FromSeconds(10), $"Dovecot '{Name}' to take the new master password");
    }

    /// <summary>One IMAP LOGIN as the first user through the master user (raw protocol, plain text on loopback).</summary>
    private bool MasterLoginWorks(string password)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", ImapPort);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        reader.ReadLine(); // greeting
        writer.WriteLine($"a LOGIN \"{_firstUser}*{MasterUser}\" \"{password}\"");
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("a ", StringComparison.Ordinal))
            {
                writer.WriteLine("b LOGOUT");
                return line.StartsWith("a OK", StringComparison.Ordinal);
            }
        }

        return false;
    }

    private void Configure(string[] users)
    {
        _firstUser = users.Length > 0 ? users[0] : "nobody@demo.test";
        DovecotConfig.WriteUsers(_dir, users);
        File.WriteAllText(_dir.Combine("dovecot.conf"), DovecotConfig.Render(this, _dir.Path));
    }

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in new[] { LmtpPort, ImapPort })
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect("127.0.0.1", port);
                    break;
                }
                catch (SocketException) when (deadline.Elapsed < StartDeadline)
                {
                    // Not listening yet: the connect refusal itself paces this loop (a few hundred µs).
                    Thread.Yield();
                }
                catch (SocketException e)
                {
                    throw new InvalidOperationException($"Dovecot '{Name}' did not listen on {port} within {StartDeadline}. Log:\n{ReadLog()}", e);
                }
            }
        }

        // The ports are bound before the master daemonizes and writes its pid file: a Stop right after a start must
        // find the pid, or the master keeps running and a Restart fails with "already running".
        var pidFile = Path.Combine(BaseDir, "master.pid");
        var left = StartDeadline - deadline.Elapsed;
        if (!SpinWait.SpinUntil(() => File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out _), left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            throw new InvalidOperationException($"Dovecot '{Name}' wrote no master.pid within {StartDeadline}. Log:\n{ReadLog()}");
        }

        ParentDeathGuard.WatchPidFile(pidFile);
    }

    /// <summary>Dovecot's protocol services live in /usr/lib/dovecot, off PATH.</summary>
    private static void RequireModule(string name, string debianPackage)
    {
        if (!File.Exists(Path.Combine("/usr/lib/dovecot", name)))
        {
            throw new InvalidOperationException(
                $"The tests need Dovecot's '{name}' service, which is not installed. Install it with: apt-get install -y {debianPackage} " +
                "(or run the README's test command, which installs everything the tests need).");
        }
    }

    private string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)";

    /// <summary>
    /// Runs a short command to its end. Output is not redirected: dovecot daemonizes, and its daemon would keep
    /// a redirected pipe open forever. Its errors go to its log file, quoted on failure.
    /// </summary>
    private void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {program}");
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{program} {arguments} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}). Log:\n{ReadLog()}");
        }
    }
}
