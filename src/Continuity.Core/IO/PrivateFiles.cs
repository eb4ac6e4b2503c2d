using System.Runtime.InteropServices;

namespace Continuity.Core.IO;

/// <summary>
/// Files and directories only the gateway's own user may read: the data directory (0700) and what it
/// holds that is secret or state — identity keys, the embedded store's password and AOF, the
/// Data Protection key file, the audit key, the fail-static route snapshot (0600).
/// </summary>
/// <remarks>
/// Two layers, because some of these files are made by libraries (Garnet's AOF and checkpoints) that
/// take the process umask: <see cref="RestrictUmask"/> sets umask 077 once at start, and the files
/// written here are created with an explicit mode from the first byte, so no window exists in which
/// another local user could open them. <see cref="Tighten"/> brings files made by an older version
/// (0644) down to 0600. Everything here is a no-op on Windows (ACLs there).
/// </remarks>
public static partial class PrivateFiles
{
    /// <summary>rw------- : the owner reads and writes, nobody else.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ : the owner only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the process umask to 077: every file and directory made from now on, by any library, is the owner's only.</summary>
    public static void RestrictUmask()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0x3F); // 077 octal
        }
    }

    /// <summary>Creates <paramref name="path"/> (and missing parents) 0700, or narrows an existing one to 0700.</summary>
    public static string CreateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }

        Directory.CreateDirectory(full, DirectoryMode);
        if ((File.GetUnixFileMode(full) & ~DirectoryMode) != 0)
        {
            File.SetUnixFileMode(full, DirectoryMode);
        }

        return full;
    }

    /// <summary>Options for a new file that is 0600 from its first byte.</summary>
    public static FileStreamOptions CreateOptions(System.IO.FileMode mode = System.IO.FileMode.Create, FileOptions options = FileOptions.None)
    {
        var result = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = FileMode;
        }

        return result;
    }

    /// <summary>Writes <paramref name="text"/> to a new (or replaced) file that is 0600 from its first byte.</summary>
    public static void WriteAllText(string path, string text)
    {
        using (var stream = new FileStream(path, CreateOptions()))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        Restrict(path);
    }

    /// <summary>
    /// <c>{dataDir}/keys/{name}</c>: a random key of <paramref name="bytes"/> bytes, base64, made once (0600 from the first
    /// byte; two processes starting at once keep the first file moved into place) and reused on every later start.
    /// </summary>
    public static string GeneratedKeyFile(string dataDir, string name, int bytes)
    {
        var directory = CreateDirectory(Path.Combine(dataDir, "keys"));
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            WriteAllText(temp, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes)));
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        Restrict(path);
        return path;
    }

    /// <summary>Narrows one existing file to 0600 (a file replaced in place keeps its old mode).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & ~FileMode) != 0)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Every file under <paramref name="directory"/> 0600 and every directory 0700 (files an older version left readable).</summary>
    public static void Tighten(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        CreateDirectory(directory);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            try
            {
                if (Directory.Exists(entry))
                {
                    if ((File.GetUnixFileMode(entry) & ~DirectoryMode) != 0)
                    {
                        File.SetUnixFileMode(entry, DirectoryMode);
                    }
                }
                else
                {
                    Restrict(entry);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile (a rotated AOF segment), or not ours: the umask covers what is made from now on.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
