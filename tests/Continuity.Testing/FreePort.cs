using System.Net;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>
/// Free TCP ports on 127.0.0.1 for servers a test starts. Ports come from below Linux's ephemeral
/// range (32768–60999 by default), at random: a port the OS hands out for "any port" can be taken by
/// another process's outgoing connection before our server binds it; these cannot.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port nothing listens on now and that this process has not handed out before.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            lock (Handed)
            {
                if (Handed.Contains(port))
                {
                    continue;
                }
            }

            if (!IsFree(port))
            {
                continue;
            }

            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free TCP port between {First} and {Last} on 127.0.0.1.");
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
