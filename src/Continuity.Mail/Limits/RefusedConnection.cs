namespace Continuity.Mail.Limits;

/// <summary>
/// Answers a connection refused before its session starts and closes it, without ever waiting on the client: the
/// reply is a few bytes into the empty send buffer of a fresh socket, written without blocking (lost, rather than
/// waited for, if the buffer were full). On an implicit-TLS port nothing is written: plain bytes are no answer to a
/// TLS client, and a handshake for a refusal would hand the client the cost it is being refused for.
/// </summary>
internal static class RefusedConnection
{
    public static void Close(Socket socket, ReadOnlySpan<byte> reply, bool implicitTls)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            if (!implicitTls)
            {
                socket.Blocking = false;
                socket.Send(reply, SocketFlags.None, out _);
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The client is gone already; closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
