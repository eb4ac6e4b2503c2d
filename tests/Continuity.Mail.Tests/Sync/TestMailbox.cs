using System.Security.Cryptography;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Continuity.Mail.Tests.Sync;

/// <summary>A test's own IMAP session to one user's mailbox (master login), to seed it and to read back what it holds.</summary>
public sealed class TestMailbox : IAsyncDisposable
{
    private TestMailbox(ImapClient client) => Client = client;

    public ImapClient Client { get; }

    public static async Task<TestMailbox> ConnectAsync(DovecotServer server, string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", server.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync($"{user}*{DovecotServer.MasterUser}", DovecotServer.MasterPassword);
        return new TestMailbox(client);
    }

    /// <summary>The folder at <paramref name="path"/> (with this server's separator), created with its parents when missing.</summary>
    public async Task<IMailFolder> FolderAsync(string path)
    {
        if (string.Equals(path, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return Client.Inbox;
        }

        try
        {
            return await Client.GetFolderAsync(path);
        }
        catch (FolderNotFoundException)
        {
            var separator = Client.PersonalNamespaces[0].DirectorySeparator;
            var parent = Client.GetFolder(Client.PersonalNamespaces[0])!;
            var current = "";
            foreach (var segment in path.Split(separator))
            {
                current = current.Length == 0 ? segment : current + separator + segment;
                try
                {
                    parent = await Client.GetFolderAsync(current);
                }
                catch (FolderNotFoundException)
                {
                    parent = (await parent.CreateAsync(segment, true))!;
                }
            }

            return parent;
        }
    }

    /// <summary>Appends messages (MULTIAPPEND, 250 at a time) with their flags, keywords and internal dates.</summary>
    public async Task<List<uint>> AppendAsync(string path, IEnumerable<SeedMessage> messages)
    {
        var folder = await FolderAsync(path);
        var uids = new List<uint>();
        foreach (var batch in messages.Chunk(250))
        {
            var requests = batch.Select(m => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(m.Raw)), m.Flags, m.Keywords, m.InternalDate)).ToList();
            uids.AddRange((await folder.AppendAsync(requests)).Select(u => u.Id));
        }

        return uids;
    }

    /// <summary>Every message of the folder: Message-ID, SHA-256 of its bytes, flags, keywords, internal date.</summary>
    public async Task<List<MessageState>> ReadAsync(string path)
    {
        var folder = await FolderAsync(path);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var states = new List<MessageState>();
        if (folder.Count > 0)
        {
            var summaries = (await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Envelope))
                .ToDictionary(s => s.UniqueId.Id);
            await ((ImapFolder)folder).GetStreamsAsync(0, -1, async (_, _, uid, stream, ct) =>
            {
                var s = summaries[uid.Id];
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                var flags = (s.Flags ?? MessageFlags.None) & ~(MessageFlags.Recent | MessageFlags.UserDefined);
                states.Add(new MessageState(uid.Id, s.Envelope?.MessageId, sha, flags, string.Join(' ', (s.Keywords ?? new HashSet<string>()).Order(StringComparer.Ordinal)), s.InternalDate!.Value.ToUniversalTime()));
            });
        }

        await folder.CloseAsync();
        return [.. states.OrderBy(s => s.Sha, StringComparer.Ordinal)];
    }

    /// <summary>Full names of the selectable folders.</summary>
    public async Task<List<string>> FolderNamesAsync() =>
        [.. (await Client.GetFoldersAsync(Client.PersonalNamespaces[0]))
            .Where(f => !f.Attributes.HasFlag(FolderAttributes.NoSelect) && !f.Attributes.HasFlag(FolderAttributes.NonExistent))
            .Select(f => f.FullName).Order(StringComparer.Ordinal)];

    public async Task StoreAsync(string path, uint uid, StoreAction action, MessageFlags flags, params string[] keywords)
    {
        var folder = await FolderAsync(path);
        await folder.OpenAsync(FolderAccess.ReadWrite);
        await folder.StoreAsync(new UniqueId(uid), new StoreFlagsRequest(action, flags, keywords) { Silent = true });
        await folder.CloseAsync();
    }

    public async Task ExpungeAsync(string path, params uint[] uids)
    {
        var folder = await FolderAsync(path);
        await folder.OpenAsync(FolderAccess.ReadWrite);
        var list = uids.Select(u => new UniqueId(u)).ToList();
        await folder.StoreAsync(list, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
        await folder.ExpungeAsync(list);
        await folder.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            await Client.DisconnectAsync(true);
        }

        Client.Dispose();
    }
}

/// <summary>What a test compares: the same message is the same Message-ID and bytes, flags, keywords and internal date.</summary>
public sealed record MessageState(uint Uid, string? MessageId, string Sha, MessageFlags Flags, string Keywords, DateTimeOffset InternalDate)
{
    /// <summary>Everything but the UID (which differs between the two sides).</summary>
    public string Content => $"{MessageId}|{Sha}|{Flags}|{Keywords}|{InternalDate:O}";
}

/// <summary>A message to seed: raw RFC 5322 bytes, flags, keywords, internal date.</summary>
public sealed record SeedMessage(byte[] Raw, MessageFlags Flags, string[] Keywords, DateTimeOffset InternalDate);
