using Continuity.Core.Listeners;
using Continuity.Mail.Limits;

namespace Continuity.Mail.Smtp;

/// <summary>
/// The MX listener: SmtpServer on <c>Continuity:Listeners:Address</c> / <c>Smtp</c> (0 turns it off), STARTTLS
/// when a certificate is configured, and the optional implicit-TLS port. Sockets are bound in
/// <see cref="StartAsync"/>, so a port in use fails the host's start.
/// </summary>
internal sealed partial class MxServer(
    IOptions<ContinuityOptions> continuity,
    IOptions<MailOptions> options,
    MxMailboxFilter filter,
    SpoolMessageStore store,
    MxIdentity identity,
    ListenerRegistry listenerRegistry,
    TimeProvider time,
    ILogger<MxServer> logger) : IHostedService, IDisposable
{
    private readonly Dictionary<IPEndPoint, TcpListener> _bound = [];
    private RunningSmtpServer? _server;
    private SemaphoreSlim? _sessions;
    private Proxy.ReloadingCertificate? _certificate;

    /// <summary>The endpoints listening now (the real port when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => [.. _bound.Values.Select(l => (IPEndPoint)l.LocalEndpoint)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var listeners = continuity.Value.Listeners;
        var mail = options.Value;
        if (listeners.Smtp <= 0)
        {
            Log.Off(logger);
            return Task.CompletedTask;
        }

        _certificate = Proxy.ReloadingCertificate.Create(mail.Tls.CertificatePath, mail.Tls.KeyPath, mail.Tls.Password, logger);
        var address = IPAddress.Parse(listeners.Address);
        var builder = new SmtpServerOptionsBuilder()
            .ServerName(identity.ServerName)
            .MaxMessageSize(mail.Limits.MaxMessageSize, MaxMessageSizeHandling.Strict)
            .CommandWaitTimeout(mail.Limits.IdleTimeout)
            .MaxRetryCount(5);
        AddEndpoint(builder, new IPEndPoint(address, listeners.Smtp), secure: false, mail.Limits);
        if (mail.Tls.ImplicitTlsPort > 0)
        {
            AddEndpoint(builder, new IPEndPoint(address, mail.Tls.ImplicitTlsPort), secure: true, mail.Limits);
        }

        _sessions = new SemaphoreSlim(mail.Limits.MaxSessions, mail.Limits.MaxSessions);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(filter);
        services.Add(store);
        var timeouts = new MxTimeouts(mail.Limits.EffectiveIdleTimeoutBeforeMail, mail.Limits.IdleTimeout);
        services.Add(new MxEndpointListenerFactory(_bound, _sessions, new PerAddressConnectionLimit(mail.Limits.MaxConnectionsPerAddress), timeouts, time, logger));
        _server = RunningSmtpServer.Start(builder.Build(), services, e => Log.SessionFaulted(logger, e));
        Log.Listening(logger, string.Join(", ", Endpoints));
        foreach (var (configured, listener) in _bound)
        {
            var bound = (IPEndPoint)listener.LocalEndpoint;
            var implicitTls = configured.Port == mail.Tls.ImplicitTlsPort && mail.Tls.ImplicitTlsPort > 0;
            listenerRegistry.Register(new ListenerInfo("mx", implicitTls ? "smtps" : "smtp", bound.Address.ToString(), bound.Port));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listener in _bound.Values)
        {
            listener.Stop();
        }
    }

    public void Dispose()
    {
        foreach (var listener in _bound.Values)
        {
            listener.Dispose();
        }

        _server?.Dispose();
        _sessions?.Dispose();
    }

    private void AddEndpoint(SmtpServerOptionsBuilder builder, IPEndPoint requested, bool secure, MxLimitsOptions limits)
    {
        var listener = new TcpListener(requested);
        listener.Start(512);
        var actual = (IPEndPoint)listener.LocalEndpoint;
        _bound[actual] = listener;
        builder.Endpoint(e =>
        {
            e.Endpoint(actual).IsSecure(secure).SessionTimeout(limits.SessionTimeout);
            if (_certificate is not null)
            {
                e.Certificate(_certificate);
            }
        });
    }
}
