using System.Globalization;

namespace Continuity.Testing;

/// <summary>The dovecot.conf of a <see cref="DovecotServer"/>: loopback only, no TLS, plaintext auth, passwd-file users and a master user.</summary>
internal static class DovecotConfig
{
    public static string Render(DovecotServer server, string dir) => string.Create(CultureInfo.InvariantCulture, $$"""
        base_dir = {{dir}}/run
        instance_name = continuity-test-{{Guid.NewGuid():N}}
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
}
