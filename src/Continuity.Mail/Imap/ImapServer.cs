using Continuity.Core.Listeners;
using Continuity.Mail.Limits;

namespace Continuity.Mail.Imap;

/// <summary>
/// The IMAP proxy's listeners: <c>Continuity:Listeners:Imap</c> (STARTTLS) and <c>Imaps</c> (implicit TLS) on
/// <c>Listeners:Address</c>; 0 turns one off. Sockets are bound in <see cref="StartAsync"/> so a taken port fails the start.
/// </summary>
internal sealed partial class ImapServer(
    IOptions<ContinuityOptions> continuity,
    IOptions<MailAccessOptions> options,
    MailLogin login,
    AppTokenSource tokens,
    ICutoffSignals signals,
    ProxySessionRegistry registry,
    ListenerRegistry listeners,
    TimeProvider time,
    ILogger<ImapServer> logger,
    Core.Metrics.ContinuityMetrics metrics) : IHostedService, IDisposable
{
    private readonly List<(TcpListener Listener, bool Tls)> _bound = [];
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _acceptLoops = [];
    private ReloadingCertificate? _certificate;
    private SemaphoreSlim? _slots;
    private PerAddressConnectionLimit? _preLogin;

    public IReadOnlyList<IPEndPoint> Endpoints => [.. _bound.Select(b => (IPEndPoint)b.Listener.LocalEndpoint)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ports = continuity.Value.Listeners;
        if (ports.Imap <= 0 && ports.Imaps <= 0)
        {
            Log.Off(logger);
            return Task.CompletedTask;
        }

        var tlsOptions = options.Value.Tls;
        _certificate = ReloadingCertificate.Create(tlsOptions.CertificatePath, tlsOptions.KeyPath, tlsOptions.Password, logger);
        _slots = new SemaphoreSlim(options.Value.MaxSessions);
        _preLogin = new PerAddressConnectionLimit(options.Value.MaxPreLoginConnectionsPerAddress);
        var address = IPAddress.Parse(ports.Address);
        var context = new ImapSessionContext(options.Value, continuity.Value, _certificate, login, tokens, signals, registry, time, logger);
        foreach (var (port, tls) in new[] { (ports.Imap, false), (ports.Imaps, true) }.Where(p => p.Item1 > 0))
        {
            var listener = new TcpListener(address, port);
            listener.Start(512);
            _bound.Add((listener, tls));
            var endpoint = (IPEndPoint)listener.LocalEndpoint;
            listeners.Register(new ListenerInfo(tls ? "imaps" : "imap", tls ? "imaps" : "imap", endpoint.Address.ToString(), endpoint.Port));
            _acceptLoops.Add(AcceptAsync(listener, tls, context));
        }

        Log.Listening(logger, string.Join(", ", Endpoints));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (listener, _) in _bound)
        {
            listener.Stop();
        }

        try
        {
            await Task.WhenAll(_acceptLoops.Concat(_sessions.Keys)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var (listener, _) in _bound)
        {
            listener.Dispose();
        }

        _stopping.Dispose();
        _slots?.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, bool tls, ImapSessionContext context)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            var task = RunSessionAsync(socket, tls, context);
            _sessions[task] = 0;
            _ = task.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunSessionAsync(Socket socket, bool tls, ImapSessionContext context)
    {
        await Task.Yield();
        var stream = new NetworkStream(socket, ownsSocket: true);
        if (!_slots!.Wait(0))
        {
            await using (stream.ConfigureAwait(false))
            {
                Log.Busy(logger, ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString());
                await stream.WriteAsync("* BYE Too many connections; try again later\r\n"u8.ToArray(), CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        var remote = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        using var preLogin = _preLogin!.TryOpen(remote);
        if (preLogin is null)
        {
            _slots.Release();
            Log.TooManyFromAddress(logger, remote.ToString(), _preLogin.MaxPerAddress);
            RefusedConnection.Close(socket, "* BYE Too many connections from your address; try again later\r\n"u8, tls);
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        metrics.ImapSessionOpened();
        try
        {
            await new ImapSession(context, stream, remote, tls, preLogin).RunAsync(_stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The last guard of a session task: nothing may escape to the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SessionFailed(logger, ex);
        }
        finally
        {
            metrics.ImapSessionClosed();
            _slots.Release();
        }
    }
}
