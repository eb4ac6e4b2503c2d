using System.Globalization;
using System.Text;

namespace Continuity.Testing;

/// <summary>
/// Mailbox-sync additions to a <see cref="DovecotServer"/> (kept apart from its own files): an explicit INBOX
/// namespace with a chosen hierarchy separator and SPECIAL-USE folders, as hosted providers name them differently
/// ("Sent Items" vs "Sent"). Appends to the server's dovecot.conf and restarts it on the same ports.
/// </summary>
public static class DovecotSyncExtensions
{
    /// <param name="separator">Hierarchy separator (<c>/</c> or <c>.</c>).</param>
    /// <param name="specialUse">Folder name → SPECIAL-USE attribute (<c>\Sent</c>); these folders are created for every user.</param>
    /// <param name="extraSettings">More dovecot.conf lines (e.g. <c>mail_max_keyword_length = 10</c>), or null.</param>
    public static void ConfigureNamespace(this DovecotServer server, char separator, IReadOnlyDictionary<string, string> specialUse, string? extraSettings = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(specialUse);
        var conf = Path.Combine(Path.GetDirectoryName(server.LogPath)!, "dovecot.conf");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"namespace inbox {{\n  inbox = yes\n  separator = {separator}\n");
        foreach (var (name, use) in specialUse)
        {
            text.Append(CultureInfo.InvariantCulture, $"  mailbox \"{name}\" {{\n    special_use = {use}\n    auto = create\n  }}\n");
        }

        text.Append("}\n").Append(extraSettings).Append('\n');
        File.AppendAllText(conf, text.ToString());
        server.Stop();
        server.Restart();
    }
}
