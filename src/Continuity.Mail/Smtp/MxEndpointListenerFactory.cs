using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Net;

namespace Continuity.Mail.Smtp;

/// <summary>Hands SmtpServer the sockets <see cref="MxServer"/> bound at start, so a port in use fails the start, not later.</summary>
internal sealed class MxEndpointListenerFactory(IReadOnlyDictionary<IPEndPoint, TcpListener> bound, SemaphoreSlim sessions, TimeSpan idle, TimeProvider time)
    : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        ArgumentNullException.ThrowIfNull(endpointDefinition);
        return new MxEndpointListener(bound[endpointDefinition.Endpoint], sessions, idle, time);
    }
}
