using Continuity.Mail.Limits;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Continuity.Mail.Smtp;

/// <summary>
/// Accepts clients on a socket bound at start-up, at most <c>MaxSessions</c> at once across all endpoints
/// (further clients wait in the TCP backlog) and at most <c>MaxConnectionsPerAddress</c> from one address (further
/// ones are answered 421 and closed at once), each behind an <see cref="IdleTimeoutStream"/>.
/// </summary>
internal sealed partial class MxEndpointListener(
    TcpListener listener, bool implicitTls, SemaphoreSlim sessions, PerAddressConnectionLimit perAddress, MxTimeouts timeouts, TimeProvider time, ILogger logger)
    : IEndpointListener
{
    private static readonly byte[] TooMany = "421 4.7.0 Too many connections from your address, try again later\r\n"u8.ToArray();

    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        while (true)
        {
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

            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (perAddress.TryOpen(remote.Address) is not { } lease)
            {
                sessions.Release();
                Log.TooMany(logger, remote.Address.ToString(), perAddress.MaxPerAddress);
                RefusedConnection.Close(socket, TooMany, implicitTls);
                continue;
            }

            socket.NoDelay = true;
            context.Properties[EndpointListener.LocalEndPointKey] = socket.LocalEndPoint!;
            context.Properties[EndpointListener.RemoteEndPointKey] = remote;
            var stream = new IdleTimeoutStream(new NetworkStream(socket, ownsSocket: true), timeouts.BeforeMail, timeouts.Idle, time);
            context.Properties[MxSessionKeys.Connection] = stream;
            var released = 0;
            return new MxPipe(stream, () =>
            {
                stream.Dispose();
                if (Interlocked.Exchange(ref released, 1) == 0)
                {
                    lease.Dispose();
                    sessions.Release();
                }
            });
        }
    }

    public void Dispose() => listener.Stop();
}
