using System.Runtime.InteropServices;

namespace Continuity.Core.IO;

/// <summary>
/// fsync(2) of a directory, which makes a create or rename inside it durable. .NET cannot open a
/// directory as a file handle, so this goes to libc (<c>open(O_RDONLY|O_DIRECTORY)</c> + <c>fsync</c>).
/// </summary>
public static partial class DurableDirectory
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86_64 and arm64

    /// <summary>Flushes the directory entry table of <paramref name="path"/> to disk. No-op off Linux.</summary>
    public static void Fsync(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"open({path}) for fsync failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (FsyncFd(fd) != 0)
            {
                throw new IOException($"fsync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
