using System.Net;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>
/// Free TCP ports on 127.0.0.1 for servers a test starts. Ports come from below Linux's ephemeral
/// range (32768–60999 by default), at random: a port the OS hands out for "any port" can be taken by
/// another process's outgoing connection before our server binds it; these cannot.
/// The test projects run in parallel, each in its own process: a port handed out is also claimed for the whole machine
/// with an exclusive lock on a file named after it (<c>$TMPDIR/continuity-test-ports/N</c>), held until this process
/// ends, so two test processes never pick the same port between one's pick and its server's bind.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;
    private static readonly HashSet<int> Handed = [];
    private static readonly List<FileStream> Claims = [];
    private static readonly string ClaimFolder = Path.Combine(Path.GetTempPath(), "continuity-test-ports");

    /// <summary>A port nothing listens on now, that this process has not handed out before and no other test process holds.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            lock (Handed)
            {
                if (!Handed.Add(port))
                {
                    continue;
                }

                if (Claim(port) is { } claim)
                {
                    if (IsFree(port))
                    {
                        Claims.Add(claim);
                        return port;
                    }

                    claim.Dispose();
                }
            }
        }

        throw new InvalidOperationException($"No free TCP port between {First} and {Last} on 127.0.0.1.");
    }

    /// <summary>The machine-wide claim on <paramref name="port"/>, or null when another test process holds it.</summary>
    private static FileStream? Claim(int port)
    {
        Directory.CreateDirectory(ClaimFolder);
        try
        {
            // On Linux, FileShare.None takes an exclusive flock: released by the kernel when this process ends, however it ends.
            return new FileStream(Path.Combine(ClaimFolder, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // A file left by another user's run: treat the port as taken.
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
