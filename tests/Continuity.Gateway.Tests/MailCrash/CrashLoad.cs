using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Gateway.Tests.MailCrash;

/// <summary>
/// Concurrent SMTP clients (MailKit), each one session sending message after message until its connection dies.
/// Every message is recorded before it is sent; <see cref="SentMessage.Acknowledged"/> is set only on the 250.
/// </summary>
internal sealed class CrashLoad(int smtpPort, int clients, int perClient)
{
    private static readonly string[] Users = ["alice@demo.test", "bob@demo.test"];
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acknowledged;
    private int _threshold = int.MaxValue;

    public ConcurrentDictionary<string, SentMessage> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>Replies other than 250 (a 4xx or 5xx the MX answered): none are expected.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>How each client's session ended ("completed" or the exception that ended it).</summary>
    public ConcurrentQueue<string> Endings { get; } = new();

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Completes once <paramref name="count"/> messages have been acknowledged.</summary>
    public Task AcknowledgedAtLeast(int count)
    {
        _threshold = count;
        if (Acknowledged >= count)
        {
            _reached.TrySetResult();
        }

        return _reached.Task;
    }

    public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c))));

    private async Task ClientAsync(int client)
    {
        using var smtp = new SmtpClient { Timeout = 15_000 };
        try
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
            for (var i = 0; i < perClient; i++)
            {
                var recipients = i % 5 == 4 ? Users : [Users[(client + i) % 2]];
                var sent = new SentMessage($"crash-{client}-{i}-{Guid.NewGuid():N}@outside.example", recipients);
                Sent[sent.Id] = sent;
                try
                {
                    await smtp.SendAsync(Build(sent));
                }
                catch (SmtpCommandException e)
                {
                    Refusals.Enqueue($"{sent.Id}: {(int)e.StatusCode} {e.Message}");
                    continue;
                }

                sent.Acknowledged = true;
                if (Interlocked.Increment(ref _acknowledged) >= Volatile.Read(ref _threshold))
                {
                    _reached.TrySetResult();
                }
            }

            Endings.Enqueue("completed");
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException)
        {
            Endings.Enqueue(e.GetType().Name); // the gateway died under this session
        }
    }

    private static MimeMessage Build(SentMessage sent)
    {
        var message = new MimeMessage { MessageId = sent.Id, Subject = "crash " + sent.Id };
        message.From.Add(MailboxAddress.Parse("sender@outside.example"));
        foreach (var to in sent.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Body = new TextPart("plain") { Text = sent.Body };
        return message;
    }
}
