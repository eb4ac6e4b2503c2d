using Microsoft.Extensions.Hosting;

namespace Continuity.Core.State;

/// <summary>
/// The one connection to shared state (Redis protocol). With <see cref="StateOptions.Redis"/>
/// null it starts an <see cref="EmbeddedGarnet"/> first. Stores call <see cref="RunAsync{T}"/>,
/// which turns connection failures into <see cref="StateUnavailableException"/>.
/// </summary>
/// <remarks>
/// The constructor does no I/O: the embedded store is started and the connection opened by
/// <see cref="StartAsync"/> (the host calls it before the services that use the store), or on first
/// use where no host runs it (tests, tools). Either way it happens once.
/// <para>Cancellation: a token stops a caller from waiting, never a write half-way. <see cref="RunAsync{T}"/>
/// checks it before the operation and leaves checks between steps to the operation (a retry loop checks
/// it before each new attempt); <see cref="ReadAsync{T}"/> also stops waiting for a read's reply.</para>
/// </remarks>
public sealed partial class StateStore : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<StateStore> _logger;
    private readonly ContinuityOptions _config;
    private readonly ConfigurationOptions? _external;
    private readonly Lazy<Task<ConnectionMultiplexer>> _opening;
    private EmbeddedGarnet? _embedded;
    private volatile ConnectionMultiplexer? _connection;

    /// <summary>1 while the store is lost (said once per outage), else 0.</summary>
    private int _lost;

    /// <summary>1 once disposed: the container disposes the store twice (as itself and as the hosted service it also is).</summary>
    private int _disposed;

    public StateStore(IOptions<ContinuityOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _config = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StateStore>();
        Keys = new StateKeys(_config.State.KeyPrefix);
        if (_config.State.Redis is { } redis)
        {
            Mode = "external";
            _external = ClientOptions(redis);
            Endpoint = Endpoints(_external);
        }
        else
        {
            Mode = "embedded";
            Endpoint = _config.State.EmbeddedPort == 0 ? "127.0.0.1 (not started)" : $"127.0.0.1:{_config.State.EmbeddedPort}";
        }

        _opening = new Lazy<Task<ConnectionMultiplexer>>(OpenAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Starts the embedded store if there is one and connects; a store that is down is not an error (see <see cref="IsConnected"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => ConnectAsync(cancellationToken);

    /// <summary>Nothing to stop: the connection is closed when the container disposes the store.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The connection, opened by the first caller (the others wait for the same one).</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken = default) =>
        _connection ?? await _opening.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    private async Task<ConnectionMultiplexer> OpenAsync()
    {
        var redisOptions = _external;
        if (redisOptions is null)
        {
            // Garnet starts in this process (its files, its listener): off the caller's thread.
            var state = _config.State;
            _embedded = await Task.Run(() => EmbeddedGarnet.Start(_config.DataDir, state.EmbeddedPort, state.EmbeddedMemory, _loggerFactory)).ConfigureAwait(false);
            redisOptions = ClientOptions(_embedded.ConnectionString);
            Endpoint = Endpoints(redisOptions);
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(redisOptions).ConfigureAwait(false);
        Log.Connecting(_logger, Mode, Endpoint);
        // Losing and regaining the store is said at once, once each (the client reports every failed reconnect attempt).
        _lost = connection.IsConnected ? 0 : 1;
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        _connection = connection;
        return connection;
    }

    private static ConfigurationOptions ClientOptions(string connectionString)
    {
        var redisOptions = ConfigurationOptions.Parse(connectionString);
        // Start even when the store is down: the node routes from its fail-static snapshot and catches up.
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 2000);
        redisOptions.SyncTimeout = Math.Min(redisOptions.SyncTimeout, 2000);
        redisOptions.AsyncTimeout = Math.Min(redisOptions.AsyncTimeout, 2000);
        redisOptions.ReconnectRetryPolicy = new LinearRetry(500);
        redisOptions.ClientName = "continuity";
        return redisOptions;
    }

    private static string Endpoints(ConfigurationOptions redisOptions) => string.Join(",", redisOptions.EndPoints.Select(e => e.ToString()));

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            Log.Lost(_logger, Mode, Endpoint, e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (IsConnected && Interlocked.Exchange(ref _lost, 0) == 1)
        {
            Log.Restored(_logger, Mode, Endpoint);
        }
    }

    /// <summary><c>embedded</c> or <c>external</c>.</summary>
    public string Mode { get; }

    /// <summary>Host:port of the store (never the password); an embedded store on a free port has one once started.</summary>
    public string Endpoint { get; private set; }

    public StateKeys Keys { get; }

    /// <summary>The connection; the first use connects when <see cref="StartAsync"/> has not (blocking, at most the connect timeout).</summary>
    public IConnectionMultiplexer Connection => _connection ?? _opening.Value.GetAwaiter().GetResult();

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>Connected now (false before the connection was opened: asking does not open it).</summary>
    public bool IsConnected => _connection?.IsConnected ?? false;

    /// <summary>
    /// Runs a store operation; an unreachable store becomes <see cref="StateUnavailableException"/>. A cancelled
    /// <paramref name="cancellationToken"/> stops it before it starts; once started, the operation itself decides
    /// where it may stop (a write that was sent is waited for, so its caller knows what happened).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            throw new StateUnavailableException();
        }

        try
        {
            return await operation(connection.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            Log.Unavailable(_logger, ex.GetType().Name);
            throw new StateUnavailableException("The state store is unreachable; routing continues from the last snapshot, but changes are refused until it returns.", ex);
        }
    }

    /// <summary>
    /// <see cref="RunAsync{T}"/> for an operation that only reads: a cancelled <paramref name="cancellationToken"/> also
    /// stops the wait for its reply (nothing is left half-done; a late reply is dropped).
    /// </summary>
    public Task<T> ReadAsync<T>(Func<IDatabase, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return RunAsync(db => read(db).WaitAsync(cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (await OpenedAsync().ConfigureAwait(false) is { } connection)
        {
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }

        _embedded?.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (OpenedAsync().GetAwaiter().GetResult() is { } connection)
        {
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
            connection.Dispose();
        }

        _embedded?.Dispose();
    }

    /// <summary>The connection if one was opened (waiting for an open under way); never opens one.</summary>
    private async Task<ConnectionMultiplexer?> OpenedAsync()
    {
        if (!_opening.IsValueCreated)
        {
            return null;
        }

        try
        {
            return await _opening.Value.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or RedisException or InvalidOperationException or UnauthorizedAccessException)
        {
            // It never opened (the embedded store did not start): the failure was reported to whoever started it.
            return null;
        }
    }
}
