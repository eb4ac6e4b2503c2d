using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Continuity.Gateway.Tests.SyncCrash;

/// <summary>The test's own IMAP session (master login) to one user's mailbox: seed a folder, count it, read it back.</summary>
internal sealed class SyncMailbox : IAsyncDisposable
{
    private readonly ImapClient _client;

    private SyncMailbox(ImapClient client) => _client = client;

    public static async Task<SyncMailbox> ConnectAsync(DovecotServer server, string user)
    {
        var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", server.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync($"{user}*{DovecotServer.MasterUser}", DovecotServer.MasterPassword);
        return new SyncMailbox(client);
    }

    /// <summary>A ~8 KB message with a unique Message-ID, flags on some.</summary>
    public static (MimeMessage Message, MessageFlags Flags, DateTimeOffset Date) Make(int i)
    {
        var date = new DateTimeOffset(2018, 5, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(i * 41);
        var body = new StringBuilder();
        for (var line = 0; body.Length < 8000; line++)
        {
            body.Append(CultureInfo.InvariantCulture, $"message {i:D5} line {line:D3} ").Append('z', 50).Append("\r\n");
        }

        var raw = $"From: Carol <carol@example.org>\r\nTo: Alice <alice@demo.test>\r\nMessage-ID: <crash-{i}@demo.test>\r\n" +
            $"Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000\r\nSubject: crash test {i}\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: text/plain; charset=us-ascii\r\n\r\n{body}";
        var flags = (i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None) | (i % 13 == 0 ? MessageFlags.Flagged : MessageFlags.None);
        return (MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw))), flags, date);
    }

    /// <summary>Creates <paramref name="folder"/> and appends messages 0 … count−1 (MULTIAPPEND, 250 at a time).</summary>
    public async Task SeedAsync(string folder, int count)
    {
        var target = await _client.GetFolder(_client.PersonalNamespaces[0])!.CreateAsync(folder, true);
        foreach (var batch in Enumerable.Range(0, count).Chunk(250))
        {
            var requests = batch.Select(i => Make(i)).Select(m => (IAppendRequest)new AppendRequest(m.Message, m.Flags, m.Date)).ToList();
            await target!.AppendAsync(requests);
        }
    }

    /// <summary>Messages in the folder (STATUS MESSAGES); 0 while it does not exist.</summary>
    public async Task<int> CountAsync(string folder)
    {
        try
        {
            var target = await _client.GetFolderAsync(folder);
            await target.StatusAsync(StatusItems.Count);
            return target.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Every message of the folder as <c>Message-ID|SHA-256 of its bytes</c>, sorted.</summary>
    public async Task<List<string>> ReadAsync(string folder)
    {
        var target = (ImapFolder)await _client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var ids = (await target.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope)).ToDictionary(s => s.UniqueId.Id, s => s.Envelope?.MessageId);
        var messages = new List<string>();
        await target.GetStreamsAsync(0, -1, async (_, _, uid, stream, ct) =>
            messages.Add($"{ids[uid.Id]}|{Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct))}"));
        await target.CloseAsync();
        return [.. messages.Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(true);
        }

        _client.Dispose();
    }
}
