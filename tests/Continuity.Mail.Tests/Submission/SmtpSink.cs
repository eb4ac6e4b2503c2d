using System.Buffers;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Continuity.Testing;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Continuity.Mail.Tests.Submission;

/// <summary>A provider's outbound MTA as a test sees it: an SMTP server on a free loopback port that keeps every message.</summary>
public sealed class SmtpSink : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SunkMessage> _messages = Channel.CreateUnbounded<SunkMessage>();

    public SmtpSink()
    {
        Port = FreePort.Next();
        var options = new SmtpServerOptionsBuilder().ServerName("sink.test").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_messages.Writer)); // SmtpServer disposes a store that is IDisposable after each session: this one is not
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The next message relayed here (fails after 20 s).</summary>
    public async Task<SunkMessage> NextAsync() => await _messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    public bool IsEmpty => !_messages.Reader.TryPeek(out _);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed class Store(ChannelWriter<SunkMessage> writer) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            writer.TryWrite(new SunkMessage(
                $"{transaction.From.User}@{transaction.From.Host}",
                [.. transaction.To.Select(t => $"{t.User}@{t.Host}")],
                Encoding.UTF8.GetString(buffer.ToArray())));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
