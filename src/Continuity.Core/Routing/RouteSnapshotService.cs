using Microsoft.Extensions.Hosting;

namespace Continuity.Core.Routing;

/// <summary>
/// Keeps <see cref="RouteTable"/> current: loads the disk copy at start (fail-static; in <see cref="StartAsync"/>,
/// the constructor reads nothing), then
/// reloads from the store on every pub/sub message, on reconnect, and whenever the periodic
/// version check finds a newer version (pub/sub is at-most-once). Each new snapshot is written
/// back to disk.
/// </summary>
public sealed partial class RouteSnapshotService : BackgroundService
{
    private readonly RouteTable _table;
    private readonly RouteStore _routes;
    private readonly StateStore _store;
    private readonly RouteSnapshotFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger<RouteSnapshotService> _logger;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private long _lastVerifiedTicks;

    /// <summary>Cancelled when the service stops: ends the refreshes nobody awaits (pub/sub, reconnect).</summary>
    private CancellationToken _stopping;

    public RouteSnapshotService(
        RouteTable table, RouteStore routes, StateStore store, IOptions<ContinuityOptions> options,
        TimeProvider time, ILogger<RouteSnapshotService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _routes = routes;
        _store = store;
        _time = time;
        _logger = logger;
        _interval = options.Value.State.RouteRecheckInterval;
        _file = new RouteSnapshotFile(options.Value.DataDir);
    }

    /// <summary>Loads the fail-static disk copy (before any part that routes starts), then starts following the store.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await _file.TryReadAsync(cancellationToken).ConfigureAwait(false) is { } saved)
        {
            _table.TrySwap(saved);
            Log.LoadedFromDisk(_logger, saved.Version, _file.Path);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When this node last confirmed its snapshot matches the store (null: never since start).</summary>
    public DateTimeOffset? LastVerifiedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastVerifiedTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Reloads from the store if its version differs from the table's. Returns true when the table changed.</summary>
    public async Task<bool> RefreshAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _table.Current;
            if (!force && current.Version > 0 && await _routes.ReadVersionAsync(cancellationToken).ConfigureAwait(false) == current.Version)
            {
                MarkVerified();
                return false;
            }

            var next = await _routes.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (next.Version < current.Version)
            {
                // The store lost routes we know (restarted empty, flushed, a replica that was behind):
                // write ours back instead of sending failed-over users back where they were cut off.
                if (await _routes.RestoreAsync(current, "system:route-restore", cancellationToken).ConfigureAwait(false))
                {
                    Log.Restored(_logger, next.Version, current.Version);
                }

                next = await _routes.LoadAsync(cancellationToken).ConfigureAwait(false);
            }

            MarkVerified();
            if (next.Version == current.Version && SameRoutes(current, next))
            {
                return false;
            }

            _table.TrySwap(next);
            Log.Swapped(_logger, current.Version, next.Version);
            try
            {
                _file.Write(next);
            }
            catch (IOException ex)
            {
                Log.DiskWriteFailed(_logger, _file.Path, ex.Message);
            }

            return true;
        }
        finally
        {
            _reloading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var connection = await _store.ConnectAsync(stoppingToken).ConfigureAwait(false);
        connection.ConnectionRestored += OnConnectionRestored;
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            var channel = RedisChannel.Literal(_store.Keys.RouteChannel);
            await SubscribeAsync(connection, channel).ConfigureAwait(false);
            await RefreshQuietlyAsync(force: true, stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshQuietlyAsync(force: !_table.IsLoaded || _table.Current.Version == 0, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            connection.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = RefreshQuietlyAsync(force: true, _stopping);

    public override void Dispose()
    {
        _reloading.Dispose();
        base.Dispose();
    }

    private async Task SubscribeAsync(IConnectionMultiplexer connection, RedisChannel channel)
    {
        try
        {
            await connection.GetSubscriber().SubscribeAsync(channel, (_, message) =>
            {
                if (!message.TryParse(out long version) || version != _table.Current.Version)
                {
                    RefreshInBackground();
                }
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // The multiplexer re-subscribes by itself once connected; the periodic check covers the gap.
            Log.RefreshFailed(_logger, ex.GetType().Name);
        }
    }

    private async Task RefreshQuietlyAsync(bool force, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(force, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is StateUnavailableException or RedisException or ObjectDisposedException)
        {
            Log.RefreshFailed(_logger, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // Last resort: this runs fire-and-forget (pub/sub, reconnect); nothing may end it unseen. The next tick retries.
            Log.RefreshCrashed(_logger, ex);
        }
    }

    private void RefreshInBackground() => _ = RefreshQuietlyAsync(force: false, _stopping);

    private void MarkVerified() => Interlocked.Exchange(ref _lastVerifiedTicks, _time.GetUtcNow().UtcTicks);

    private static bool SameRoutes(RouteSnapshot a, RouteSnapshot b) =>
        a.Tenants.Count == b.Tenants.Count && a.Tenants.All(t =>
            b.Tenants.TryGetValue(t.Key, out var other)
            && other.DefaultProvider == t.Value.DefaultProvider
            && other.UserOverrides.Count == t.Value.UserOverrides.Count
            && t.Value.UserOverrides.All(u => other.UserOverrides.TryGetValue(u.Key, out var p) && p == u.Value));
}
