using System.Net.Sockets;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Continuity.Mail.Smtp;

/// <summary>
/// Accepts clients on a socket bound at start-up, at most <c>MaxSessions</c> at once across all endpoints
/// (further clients wait in the TCP backlog), each behind an <see cref="IdleTimeoutStream"/>.
/// </summary>
internal sealed class MxEndpointListener(TcpListener listener, SemaphoreSlim sessions, TimeSpan idle, TimeProvider time) : IEndpointListener
{
    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await sessions.WaitAsync(cancellationToken).ConfigureAwait(false);
        Socket socket;
        try
        {
            socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            sessions.Release();
            throw;
        }

        socket.NoDelay = true;
        context.Properties[EndpointListener.LocalEndPointKey] = socket.LocalEndPoint!;
        context.Properties[EndpointListener.RemoteEndPointKey] = socket.RemoteEndPoint!;
        var stream = new IdleTimeoutStream(new NetworkStream(socket, ownsSocket: true), idle, time);
        var released = 0;
        return new MxPipe(stream, () =>
        {
            stream.Dispose();
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                sessions.Release();
            }
        });
    }

    public void Dispose() => listener.Stop();
}
