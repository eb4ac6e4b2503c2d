using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Continuity.Mail.Smtp;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Continuity.Mail.Tests.Support;

/// <summary>
/// A real SMTP server (SmtpServer, as a provider's inbound MX would be) on a loopback port bound at start, that keeps
/// the raw DATA bytes of every message and refuses the given recipients at RCPT with 550 5.7.1.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Store _store = new();
    private readonly Filter _filter;

    private SmtpSink(string[] refuse, X509Certificate2? certificate)
    {
        _filter = new Filter(refuse);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        Port = endpoint.Port;
        var options = new SmtpServerOptionsBuilder().ServerName("sink.provider.test").Endpoint(e =>
        {
            e.Endpoint(endpoint);
            if (certificate is not null)
            {
                e.Certificate(certificate); // offers STARTTLS
            }
        }).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(_filter);
        var bound = new Dictionary<IPEndPoint, TcpListener> { [endpoint] = listener };
        services.Add(new MxEndpointListenerFactory(
            bound, new SemaphoreSlim(16, 16), new Continuity.Mail.Limits.PerAddressConnectionLimit(0), new MxTimeouts(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public string Uri => $"smtp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Messages accepted, in order: the SMTP session, the envelope and the DATA bytes exactly as SmtpServer handed them over.</summary>
    public IReadOnlyList<(Guid Session, string From, IReadOnlyList<string> To, byte[] Data)> Messages => [.. _store.Messages];

    /// <summary>How often RCPT TO named <paramref name="address"/>.</summary>
    public int RcptCount(string address) => _filter.Seen.TryGetValue(address, out var n) ? n : 0;

    public static SmtpSink Start(params string[] refuse) => new(refuse, null);

    /// <summary>A sink that offers STARTTLS with <paramref name="certificate"/>.</summary>
    public static SmtpSink StartWithTls(X509Certificate2 certificate) => new([], certificate);

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store : IMessageStore
    {
        public ConcurrentQueue<(Guid Session, string From, IReadOnlyList<string> To, byte[] Data)> Messages { get; } = new();

        public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Messages.Enqueue((context.SessionId, transaction.From.AsAddress(), [.. transaction.To.Select(t => t.AsAddress())], buffer.ToArray()));
            return Task.FromResult(new SmtpResponse(SmtpReplyCode.Ok, "2.0.0 Ok: stored"));
        }
    }

    private sealed class Filter(string[] refuse) : IMailboxFilter
    {
        public ConcurrentDictionary<string, int> Seen { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox @from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken)
        {
            var address = to.AsAddress();
            Seen.AddOrUpdate(address, 1, (_, n) => n + 1);
            return refuse.Contains(address, StringComparer.OrdinalIgnoreCase)
                ? throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)550, $"5.7.1 <{address}> refused by policy"))
                : Task.FromResult(true);
        }
    }
}
