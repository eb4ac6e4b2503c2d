using Continuity.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Continuity.Core.State;

/// <summary>
/// The one connection to shared state (Redis protocol). With <see cref="StateOptions.Redis"/>
/// null it starts an <see cref="EmbeddedGarnet"/> first. Stores call <see cref="RunAsync{T}"/>,
/// which turns connection failures into <see cref="StateUnavailableException"/>.
/// </summary>
public sealed partial class StateStore : IAsyncDisposable, IDisposable
{
    private readonly ILogger<StateStore> _logger;
    private readonly EmbeddedGarnet? _embedded;

    /// <summary>1 while the store is lost (said once per outage), else 0.</summary>
    private int _lost;

    public StateStore(IOptions<ContinuityOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var config = options.Value;
        _logger = loggerFactory.CreateLogger<StateStore>();
        Keys = new StateKeys(config.State.KeyPrefix);

        string connectionString;
        if (config.State.Redis is { } redis)
        {
            Mode = "external";
            connectionString = redis;
        }
        else
        {
            Mode = "embedded";
            _embedded = EmbeddedGarnet.Start(config.DataDir, config.State.EmbeddedPort, config.State.EmbeddedMemory, loggerFactory);
            connectionString = _embedded.ConnectionString;
        }

        var redisOptions = ConfigurationOptions.Parse(connectionString);
        // Start even when the store is down: the node routes from its fail-static snapshot and catches up.
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 2000);
        redisOptions.SyncTimeout = Math.Min(redisOptions.SyncTimeout, 2000);
        redisOptions.AsyncTimeout = Math.Min(redisOptions.AsyncTimeout, 2000);
        redisOptions.ReconnectRetryPolicy = new LinearRetry(500);
        redisOptions.ClientName = "continuity";
        Endpoint = string.Join(",", redisOptions.EndPoints.Select(e => e.ToString()));
        Connection = ConnectionMultiplexer.Connect(redisOptions);
        Log.Connecting(_logger, Mode, Endpoint);
        // Losing and regaining the store is said at once, once each (the client reports every failed reconnect attempt).
        _lost = Connection.IsConnected ? 0 : 1;
        Connection.ConnectionFailed += OnConnectionFailed;
        Connection.ConnectionRestored += OnConnectionRestored;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            Log.Lost(_logger, Mode, Endpoint, e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Connection.IsConnected && Interlocked.Exchange(ref _lost, 0) == 1)
        {
            Log.Restored(_logger, Mode, Endpoint);
        }
    }

    /// <summary><c>embedded</c> or <c>external</c>.</summary>
    public string Mode { get; }

    /// <summary>Host:port of the store (never the password).</summary>
    public string Endpoint { get; }

    public StateKeys Keys { get; }

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    public bool IsConnected => Connection.IsConnected;

    /// <summary>Runs a store operation; an unreachable store becomes <see cref="StateUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!Connection.IsConnected)
        {
            throw new StateUnavailableException();
        }

        try
        {
            return await operation(Database).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            Log.Unavailable(_logger, ex.GetType().Name);
            throw new StateUnavailableException("The state store is unreachable; routing continues from the last snapshot, but changes are refused until it returns.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Connection.ConnectionFailed -= OnConnectionFailed;
        Connection.ConnectionRestored -= OnConnectionRestored;
        await Connection.CloseAsync().ConfigureAwait(false);
        Connection.Dispose();
        _embedded?.Dispose();
    }

    public void Dispose()
    {
        Connection.ConnectionFailed -= OnConnectionFailed;
        Connection.ConnectionRestored -= OnConnectionRestored;
        Connection.Dispose();
        _embedded?.Dispose();
    }
}
