namespace Continuity.Mail.Proxy;

/// <summary>
/// Copies bytes both ways between a client and its backend. Each write is awaited before the next read
/// (back-pressure: a slow reader slows its sender, nothing queues up). The session ends when either side
/// closes, after <see cref="SpliceLimits.Idle"/> without a byte either way, after <see cref="SpliceLimits.Session"/>,
/// or when <c>close</c> is cancelled: then <c>goodbye</c> is written to the client at the next response boundary.
/// Per read the loops do no allocation and no timer change: buffers come from the shared pool, a read stamps the
/// time for <see cref="SpliceDeadline"/>, and reads and writes use the streams' <c>Memory</c> overloads, which on a
/// <see cref="System.Net.Sockets.NetworkStream"/> are the socket's own <c>ValueTask</c> paths.
/// </summary>
internal static class Splice
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan BoundaryGrace = TimeSpan.FromSeconds(10);

    public static async Task<SpliceEnd> RunAsync(
        Stream client, Stream backend, ReadOnlyMemory<byte> pendingFromClient, IResponseBoundary boundary,
        ReadOnlyMemory<byte> goodbye, SpliceLimits limits, TimeProvider time, CancellationToken close, CancellationToken stopping)
    {
        using var deadline = new SpliceDeadline(limits, time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);

        if (!pendingFromClient.IsEmpty)
        {
            await backend.WriteAsync(pendingFromClient, ended.Token).ConfigureAwait(false);
        }

        var up = PumpUpAsync(client, backend, deadline, ended.Token);
        var down = PumpDownAsync(backend, client, boundary, goodbye, deadline, time, close, ended.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        await ended.CancelAsync().ConfigureAwait(false);
        var result = await first.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        return result == SpliceEnd.Closed && deadline.Reason is { } timedOut ? timedOut : result;
    }

    private static async Task<SpliceEnd> PumpUpAsync(Stream from, Stream to, SpliceDeadline deadline, CancellationToken ended)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, ended).ConfigureAwait(false);
                if (n == 0)
                {
                    return SpliceEnd.ClientClosed;
                }

                deadline.Active();
                await to.WriteAsync(buffer.AsMemory(0, n), ended).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return SpliceEnd.Closed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer); // no read or write is pending on it any more
        }
    }

    private static async Task<SpliceEnd> PumpDownAsync(
        Stream from, Stream to, IResponseBoundary boundary, ReadOnlyMemory<byte> goodbye, SpliceDeadline deadline,
        TimeProvider time, CancellationToken close, CancellationToken ended)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var readOrClose = CancellationTokenSource.CreateLinkedTokenSource(ended, close);
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var readOrGrace = CancellationTokenSource.CreateLinkedTokenSource(ended, grace.Token);
        var graceStarted = false;
        try
        {
            while (true)
            {
                if (close.IsCancellationRequested && boundary.AtBoundary)
                {
                    await to.WriteAsync(goodbye, ended).ConfigureAwait(false);
                    return SpliceEnd.ClosedByGateway;
                }

                if (close.IsCancellationRequested && !graceStarted)
                {
                    graceStarted = true;
                    grace.CancelAfter(BoundaryGrace); // mid-response: let it finish, but not forever
                }

                int n;
                try
                {
                    n = await from.ReadAsync(buffer, close.IsCancellationRequested ? readOrGrace.Token : readOrClose.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (close.IsCancellationRequested && !ended.IsCancellationRequested && !grace.IsCancellationRequested)
                {
                    continue; // the loop head writes the goodbye at the boundary
                }

                if (n == 0)
                {
                    return SpliceEnd.BackendClosed;
                }

                deadline.Active();
                await to.WriteAsync(buffer.AsMemory(0, n), ended).ConfigureAwait(false);
                boundary.Feed(buffer.AsSpan(0, n));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return grace.IsCancellationRequested ? SpliceEnd.ClosedByGateway : SpliceEnd.Closed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
