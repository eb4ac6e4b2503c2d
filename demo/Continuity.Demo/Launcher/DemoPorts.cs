using System.Net;
using System.Net.Sockets;

namespace Continuity.Demo.Launcher;

/// <summary>
/// Every port of the demo. The defaults are the ones config/demo.json and the README use; <c>--ports free</c> takes
/// free ones instead (tests, or a machine where 8080 is taken) and the launcher rewrites the configuration to match.
/// </summary>
internal sealed record DemoPorts(
    int Gateway, int PrimaryIdentity, int SovereignIdentity, int PrimaryWeb, int SovereignWeb,
    int PrimaryLmtp, int PrimaryImap, int SovereignLmtp, int SovereignImap, int GatewaySmtp, int GatewayImap)
{
    public static readonly DemoPorts Defaults = new(8080, 5101, 5102, 5201, 5202, 2601, 2602, 2611, 2612, 2525, 2143);

    public static DemoPorts Free() => new(Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next());

    /// <summary>(default, chosen) pairs of every port, to rewrite <c>127.0.0.1:default</c> in the configuration.</summary>
    public IEnumerable<(int Default, int Chosen)> Pairs()
    {
        var d = Defaults;
        yield return (d.Gateway, Gateway);
        yield return (d.PrimaryIdentity, PrimaryIdentity);
        yield return (d.SovereignIdentity, SovereignIdentity);
        yield return (d.PrimaryWeb, PrimaryWeb);
        yield return (d.SovereignWeb, SovereignWeb);
        yield return (d.PrimaryLmtp, PrimaryLmtp);
        yield return (d.PrimaryImap, PrimaryImap);
        yield return (d.SovereignLmtp, SovereignLmtp);
        yield return (d.SovereignImap, SovereignImap);
    }

    /// <summary>Throws (an <see cref="IOException"/> around the socket error) when one of the ports is taken, before anything starts.</summary>
    public void EnsureFree()
    {
        foreach (var port in Pairs().Select(p => p.Chosen).Append(GatewaySmtp).Append(GatewayImap))
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new IOException($"127.0.0.1:{port} is in use", e);
            }
        }
    }

    private static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
