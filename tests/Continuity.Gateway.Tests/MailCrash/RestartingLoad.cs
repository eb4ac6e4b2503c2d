using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>
/// Senders (MailKit SMTP sessions) that go on through gateway restarts: each sends its messages one after the other; when
/// its connection dies (the gateway was killed) the message in hand stays unacknowledged (it is not sent again: a
/// resend would be a second message as far as the MX knows), and the sender reconnects once the test says the gateway
/// is ready again (<see cref="Resume"/>), as senders behind a load balancer would.
/// Every message is recorded before it is sent; <see cref="SentMessage.Acknowledged"/> is set only on the 250.
/// Each sender sends at most <c>perSender</c> messages, and stops earlier once <see cref="Stop"/> is called, so a test
/// can keep the load running for as long as it needs (its kills never race the load's end).
/// </summary>
internal sealed class RestartingLoad(int smtpPort, int senders, int perSender, IReadOnlyList<string> users)
{
    private static readonly TimeSpan ReconnectDeadline = TimeSpan.FromSeconds(60);
    private int _acknowledged;
    private TaskCompletionSource _open = Opened();

    public ConcurrentDictionary<string, SentMessage> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>Replies other than 250 (a 4xx or 5xx the MX answered): none are expected.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Sessions cut by a kill.</summary>
    public int Cut => Volatile.Read(ref _cut);

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    private int _cut;
    private volatile bool _stopped;

    /// <summary>Each sender ends after the message in hand.</summary>
    public void Stop() => _stopped = true;

    /// <summary>The gateway is going down: senders that lose their session wait for <see cref="Resume"/> before reconnecting.</summary>
    public void Pause() => Interlocked.Exchange(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>The gateway is ready again (as a load balancer would see it).</summary>
    public void Resume() => Volatile.Read(ref _open).TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() => SenderAsync(s))));

    private async Task SenderAsync(int sender)
    {
        var smtp = new SmtpClient { Timeout = 20_000 };
        try
        {
            for (var i = 0; i < perSender && !_stopped; i++)
            {
                // Every fourth message goes to all users in one transaction (one LMTP transaction, several replies).
                IReadOnlyList<string> recipients = i % 4 == 3 ? users : [users[(sender + i) % users.Count]];
                var sent = new SentMessage($"kill-{sender}-{i}-{Guid.NewGuid():N}@outside.example", recipients);
                Sent[sent.Id] = sent;
                try
                {
                    if (!smtp.IsConnected)
                    {
                        smtp.Dispose();
                        smtp = new SmtpClient { Timeout = 20_000 };
                        await ConnectAsync(smtp);
                    }

                    await smtp.SendAsync(Build(sent));
                }
                catch (SmtpCommandException e)
                {
                    Refusals.Enqueue($"{sent.Id}: {(int)e.StatusCode} {e.Message}");
                    continue;
                }
                catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException)
                {
                    Interlocked.Increment(ref _cut); // the gateway died under this session: next message on a new one
                    continue;
                }

                sent.Acknowledged = true;
                Interlocked.Increment(ref _acknowledged);
            }
        }
        finally
        {
            smtp.Dispose();
        }
    }

    /// <summary>Connects as soon as the (restarted) MX listens; each refused connect paces the next.</summary>
    private async Task ConnectAsync(SmtpClient smtp)
    {
        await Volatile.Read(ref _open).Task.WaitAsync(ReconnectDeadline);
        var connected = false;
        await Testing.Eventually.TrueAsync(async () =>
        {
            try
            {
                await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
                connected = true;
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
            {
            }

            return connected;
        }, ReconnectDeadline, "the MX to listen again");
    }

    private static MimeMessage Build(SentMessage sent)
    {
        var message = new MimeMessage { MessageId = sent.Id, Subject = "kill " + sent.Id };
        message.From.Add(MailboxAddress.Parse("sender@outside.example"));
        foreach (var to in sent.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Body = new TextPart("plain") { Text = sent.Body };
        return message;
    }
}
