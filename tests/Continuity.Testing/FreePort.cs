using System.Net;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for servers a test starts.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port no listener holds now and that this process has not handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
