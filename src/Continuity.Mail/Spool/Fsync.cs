using Continuity.Core.IO;

namespace Continuity.Mail.Spool;

/// <summary>
/// fsync of a directory, so that a file created or renamed in it survives a power loss
/// (.NET flushes files but cannot open a directory; <see cref="DurableDirectory"/> goes to libc).
/// </summary>
internal static class Fsync
{
    public static void DirectoryOf(string path) => Dir(Path.GetDirectoryName(Path.GetFullPath(path))!);

    public static void Dir(string directory) => DurableDirectory.Fsync(directory);
}
