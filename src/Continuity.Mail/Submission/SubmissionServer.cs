using Continuity.Core.Listeners;
using Continuity.Mail.Limits;

namespace Continuity.Mail.Submission;

/// <summary>
/// The submission proxy (RFC 6409, SmtpServer): <c>Continuity:Listeners:Submission</c> with STARTTLS and
/// <c>Continuity:Mail:Access:SubmissionsPort</c> with implicit TLS (RFC 8314). AUTH is required before MAIL;
/// every AUTH exchange goes through <see cref="AuthFrontLines"/>.
/// </summary>
internal sealed partial class SubmissionServer(
    IOptions<ContinuityOptions> continuity,
    IOptions<MailAccessOptions> options,
    MailLogin login,
    RouteTable routes,
    ICutoffSignals signals,
    ListenerRegistry listeners,
    AppTokenSource tokens,
    ILogger<SubmissionServer> logger) : IHostedService, IDisposable
{
    private RunningSmtpServer? _server;
    private ReloadingCertificate? _certificate;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ports = continuity.Value.Listeners;
        var o = options.Value;
        if (ports.Submission <= 0 && o.SubmissionsPort <= 0)
        {
            Log.Off(logger);
            return Task.CompletedTask;
        }

        _certificate = ReloadingCertificate.Create(o.Tls.CertificatePath, o.Tls.KeyPath, o.Tls.Password, logger);
        var address = IPAddress.Parse(ports.Address);
        var name = continuity.Value.Tenants.Values.Select(t => t.Hosts.Mail).FirstOrDefault(h => h is not null) ?? Environment.MachineName;
        var builder = new SmtpServerOptionsBuilder()
            .ServerName(name)
            .MaxMessageSize(o.MaxMessageSize, MaxMessageSizeHandling.Strict)
            .MaxAuthenticationAttempts(o.MaxAuthFailuresPerConnection)
            .CommandWaitTimeout(o.LoginTimeout);
        foreach (var (port, secure) in new[] { (ports.Submission, false), (o.SubmissionsPort, true) }.Where(p => p.Item1 > 0))
        {
            builder.Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(address, port)).IsSecure(secure).AuthenticationRequired().AllowUnsecureAuthentication(o.AllowPlaintextOnLoopback).SessionTimeout(o.SessionTimeout);
                if (_certificate is not null)
                {
                    e.Certificate(_certificate);
                }
            });
            listeners.Register(new ListenerInfo(secure ? "submissions" : "submission", secure ? "smtps" : "smtp", address.ToString(), port));
        }

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new SubmissionAuthenticator(login, o));
        services.Add(new AuthFrontListenerFactory(login.SupportsBearer, new PerAddressConnectionLimit(o.MaxSubmissionConnectionsPerAddress), logger));
        if (login.SupportsBearer)
        {
            services.Add(new BearerAuthCommandFactory());
        }

        services.Add(new SubmissionSenderFilter());
        services.Add(new SubmissionRelay(continuity.Value, routes, signals, o, logger, tokens));
        _server = RunningSmtpServer.Start(builder.Build(), services, e => Log.Faulted(logger, e));
        Log.Listening(logger, ports.Submission, o.SubmissionsPort);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _server?.Dispose();
}
