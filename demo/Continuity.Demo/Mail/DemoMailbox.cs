using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Continuity.Demo.Mail;

/// <summary>
/// DEMO stand-in for a provider's mail backend: a private Dovecot (LMTP in, IMAP with the gateway's master login) on
/// 127.0.0.1, its mail under the demo's data directory. Only when Dovecot is installed and the demo runs as root (mail
/// is owned by uid 65534, which only root can arrange); otherwise the demo runs without mail and says so.
/// </summary>
internal sealed class DemoMailbox : IDisposable
{
    public const string Program = "/usr/sbin/dovecot";

    private readonly string _dir;

    private DemoMailbox(string name, string dir, int lmtpPort, int imapPort)
    {
        Name = name;
        _dir = dir;
        LmtpPort = lmtpPort;
        ImapPort = imapPort;
    }

    public string Name { get; }

    public int LmtpPort { get; }

    public int ImapPort { get; }

    /// <summary>Null when mail can run here; else why not, with what to do.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the demo mailboxes are Dovecot on Linux";
        }

        if (!File.Exists(Program) || !File.Exists("/usr/lib/dovecot/lmtp") || !File.Exists("/usr/lib/dovecot/imap"))
        {
            return "Dovecot is not installed (apt-get install -y dovecot-core dovecot-imapd dovecot-lmtpd)";
        }

        return Environment.UserName == "root" ? null : "Dovecot's demo mailboxes need root (run the demo with sudo for mail)";
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static DemoMailbox Start(string name, string dataDir, int lmtpPort, int imapPort, string master, string masterPassword, IEnumerable<string> users)
    {
        var dir = Path.GetFullPath(Path.Combine(dataDir, "mail-" + name));
        var mailbox = new DemoMailbox(name, dir, lmtpPort, imapPort);
        mailbox.Stop(); // a previous run killed before it stopped its Dovecot
        var mail = Path.Combine(dir, "mail");
        Directory.CreateDirectory(mail);
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        File.SetUnixFileMode(mail, (UnixFileMode)0x1FF); // 0777: lmtp writes as uid 65534
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED); // 0755
        // Demo users log in with the password "demo"; the gateway logs in as them through the master user.
        File.WriteAllLines(Path.Combine(dir, "passwd"), users.Select(u => $"{u}:{{PLAIN}}demo:65534:65534::{Path.Combine(mail, u)}::"));
        File.WriteAllText(Path.Combine(dir, "master-users"), $"{master}:{{PLAIN}}{masterPassword}::::::\n");
        File.WriteAllText(Path.Combine(dir, "dovecot.conf"), Config(dir, lmtpPort, imapPort));
        Run(Program, $"-c {Path.Combine(dir, "dovecot.conf")}", dir);
        mailbox.WaitUntilListening();
        return mailbox;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        var pidFile = Path.Combine(_dir, "run", "master.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.ProcessName.StartsWith("dovecot", StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        File.Delete(pidFile);
    }

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
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
                catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Thread.Sleep(50);
                }
            }
        }

        SpinWait.SpinUntil(() => File.Exists(Path.Combine(_dir, "run", "master.pid")), TimeSpan.FromSeconds(10));
    }

    private static void Run(string program, string arguments, string dir)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {program}");
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            var log = Path.Combine(dir, "dovecot.log");
            throw new InvalidOperationException($"{program} {arguments} failed. {(File.Exists(log) ? File.ReadAllText(log) : "")}");
        }
    }

    private static string Config(string dir, int lmtpPort, int imapPort) => string.Create(CultureInfo.InvariantCulture, $$"""
        # DEMO stand-in mailbox: loopback only, no TLS, plaintext passwords. Never use this configuration for real mail.
        base_dir = {{dir}}/run
        instance_name = continuity-demo-{{Path.GetFileName(dir)}}-{{lmtpPort}}
        protocols = lmtp imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        auth_master_user_separator = *
        mail_location = maildir:~/Maildir
        log_path = {{dir}}/dovecot.log
        first_valid_uid = 1
        default_login_user = dovenull
        default_internal_user = dovecot
        passdb {
          driver = passwd-file
          args = {{dir}}/master-users
          master = yes
        }
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{dir}}/passwd
        }
        userdb {
          driver = passwd-file
          args = username_format=%u {{dir}}/passwd
        }
        service lmtp {
          inet_listener lmtp {
            address = 127.0.0.1
            port = {{lmtpPort}}
          }
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = {{imapPort}}
          }
          inet_listener imaps {
            port = 0
          }
        }

        """);
}
