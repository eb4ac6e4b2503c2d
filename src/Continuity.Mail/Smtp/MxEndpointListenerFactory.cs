using Continuity.Mail.Limits;
using SmtpServer.Net;

namespace Continuity.Mail.Smtp;

/// <summary>
/// Hands SmtpServer the sockets <see cref="MxServer"/> bound at start, so a port in use fails the start, not later.
/// Every endpoint shares the session slots and the per-address count.
/// </summary>
internal sealed class MxEndpointListenerFactory(
    IReadOnlyDictionary<IPEndPoint, TcpListener> bound, SemaphoreSlim sessions, PerAddressConnectionLimit perAddress, MxTimeouts timeouts, TimeProvider time, ILogger logger)
    : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        ArgumentNullException.ThrowIfNull(endpointDefinition);
        return new MxEndpointListener(bound[endpointDefinition.Endpoint], endpointDefinition.IsSecure, sessions, perAddress, timeouts, time, logger);
    }
}
