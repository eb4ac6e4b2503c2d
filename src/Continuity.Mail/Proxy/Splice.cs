namespace Continuity.Mail.Proxy;

/// <summary>
/// Copies bytes both ways between a client and its backend. Each write is awaited before the next read
/// (back-pressure: a slow reader slows its sender, nothing queues up). The session ends when either side
/// closes, after <see cref="SpliceLimits.Idle"/> without a byte either way, after <see cref="SpliceLimits.Session"/>,
/// or when <c>close</c> is cancelled: then <c>goodbye</c> is written to the client at the next response boundary.
/// </summary>
internal static class Splice
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan BoundaryGrace = TimeSpan.FromSeconds(10);

    public static async Task<SpliceEnd> RunAsync(
        Stream client, Stream backend, ReadOnlyMemory<byte> pendingFromClient, IResponseBoundary boundary,
        ReadOnlyMemory<byte> goodbye, SpliceLimits limits, TimeProvider time, CancellationToken close, CancellationToken stopping)
    {
        using var idle = new CancellationTokenSource(limits.Idle, time);
        using var session = new CancellationTokenSource(limits.Session, time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, session.Token, stopping);
        void Active() => idle.CancelAfter(limits.Idle);

        if (!pendingFromClient.IsEmpty)
        {
            await backend.WriteAsync(pendingFromClient, ended.Token).ConfigureAwait(false);
        }

        var up = PumpUpAsync(client, backend, Active, ended.Token);
        var down = PumpDownAsync(backend, client, boundary, goodbye, Active, time, close, ended.Token);
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

        if (result == SpliceEnd.Closed && (session.IsCancellationRequested || idle.IsCancellationRequested))
        {
            return session.IsCancellationRequested ? SpliceEnd.SessionTimeout : SpliceEnd.IdleTimeout;
        }

        return result;
    }

    private static async Task<SpliceEnd> PumpUpAsync(Stream from, Stream to, Action active, CancellationToken ended)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, ended).ConfigureAwait(false);
                if (n == 0)
                {
                    return SpliceEnd.ClientClosed;
                }

                active();
                await to.WriteAsync(buffer.AsMemory(0, n), ended).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return SpliceEnd.Closed;
        }
    }

    private static async Task<SpliceEnd> PumpDownAsync(
        Stream from, Stream to, IResponseBoundary boundary, ReadOnlyMemory<byte> goodbye, Action active,
        TimeProvider time, CancellationToken close, CancellationToken ended)
    {
        var buffer = new byte[BufferSize];
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

                active();
                await to.WriteAsync(buffer.AsMemory(0, n), ended).ConfigureAwait(false);
                boundary.Feed(buffer.AsSpan(0, n));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return grace.IsCancellationRequested ? SpliceEnd.ClosedByGateway : SpliceEnd.Closed;
        }
    }
}
