using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Continuity.Mail.Tests.Imap;

/// <summary>Two real Dovecots (primary, sovereign: alice and bob, master user) and a redis-server, shared by one test class.</summary>
public sealed class ProxyTestBed : IDisposable
{
    public TwoDovecots Dovecots { get; } = new();

    public RedisFixture Redis { get; } = new();

    public Dictionary<string, string?> Settings() => AccessHost.Backends(Dovecots.Primary, Dovecots.Sovereign);

    /// <summary>Puts a message with <paramref name="subject"/> straight into the user's INBOX on <paramref name="server"/>.</summary>
    public static async Task AppendAsync(DovecotServer server, string user, string subject)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", server.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, DovecotServer.UserPassword);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse(user));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = subject };
        await client.Inbox.AppendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>A MailKit client logged in through the gateway.</summary>
    public static async Task<ImapClient> LoginAsync(int port, string user, string password, bool useLoginCommand = false, string local = "127.0.0.1")
    {
        var client = new ImapClient { LocalEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(local), 0) };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        if (useLoginCommand)
        {
            client.AuthenticationMechanisms.Clear();
        }

        await client.AuthenticateAsync(user, password);
        return client;
    }

    public static async Task<IReadOnlyList<string>> SubjectsAsync(ImapClient client)
    {
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        await client.Inbox.CloseAsync();
        return [.. summaries.Select(s => s.Envelope?.Subject ?? "")];
    }

    public void Dispose()
    {
        Dovecots.Dispose();
        Redis.Dispose();
    }
}
