using System.Globalization;

namespace Continuity.Testing;

/// <summary>
/// The dovecot.conf and user files of the test Dovecots (<see cref="DovecotServer"/>, <see cref="DovecotProxySubmission"/>):
/// loopback only, no TLS, plaintext auth, passwd-file users (uid 65534: mail cannot be owned by root) and a master user.
/// </summary>
internal static class DovecotConfig
{
    /// <summary>LMTP and IMAP on the server's ports.</summary>
    public static string Render(DovecotServer server, string dir) => Common(dir, "continuity-test", "lmtp imap") + string.Create(CultureInfo.InvariantCulture, $$"""
        service lmtp {
          inet_listener lmtp {
            address = 127.0.0.1
            port = {{server.LmtpPort}}
          }
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = {{server.ImapPort}}
          }
          inet_listener imaps {
            port = 0
          }
        }

        """);

    /// <summary>
    /// Settings every test Dovecot shares: its own base_dir and instance, the users of <see cref="WriteUsers"/>, Maildir
    /// under their homes, the log in <paramref name="dir"/>. The caller adds its protocols' services.
    /// </summary>
    public static string Common(string dir, string instancePrefix, string protocols) => string.Create(CultureInfo.InvariantCulture, $$"""
        base_dir = {{dir}}/run
        instance_name = {{instancePrefix}}-{{Guid.NewGuid():N}}
        protocols = {{protocols}}
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

        """);

    /// <summary>
    /// The run and mail directories, <c>passwd</c> (each user with <see cref="DovecotServer.UserPassword"/>, uid 65534,
    /// home under mail/) and <c>master-users</c> (<see cref="DovecotServer.MasterUser"/>) in <paramref name="dir"/>.
    /// </summary>
    public static void WriteUsers(TempDirectory dir, IEnumerable<string> users)
    {
        var mail = dir.Combine("mail");
        Directory.CreateDirectory(mail);
        Directory.CreateDirectory(dir.Combine("run"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(mail, (UnixFileMode)0x1FF); // 0777: lmtp writes as uid 65534
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755
        }

        File.WriteAllLines(dir.Combine("passwd"), users.Select(u => $"{u}:{{PLAIN}}{DovecotServer.UserPassword}:65534:65534::{Path.Combine(mail, u)}::"));
        WriteMaster(dir, DovecotServer.MasterPassword);
    }

    /// <summary>The master user's passwd-file (Dovecot reads it again when it changes).</summary>
    public static void WriteMaster(TempDirectory dir, string password) =>
        File.WriteAllText(dir.Combine("master-users"), $"{DovecotServer.MasterUser}:{{PLAIN}}{password}::::::\n");
}
