using System.Globalization;
using System.Text;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Continuity.Benchmarks;

/// <summary>
/// The benchmark's own access to one user's mailbox on a test Dovecot: seeding (Maildir files written straight into
/// the folder's <c>cur/</c>, which Dovecot indexes on the next SELECT — seconds instead of minutes of APPENDs; later
/// messages by MULTIAPPEND), warming the source's index, and counting what a folder holds.
/// </summary>
internal sealed class MailboxSyncMailbox(DovecotServer server, string user)
{
    private static readonly DateTimeOffset Epoch = new(2019, 1, 7, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A message of about <paramref name="size"/> bytes (CRLF, plain text) with a unique Message-ID.</summary>
    public static byte[] Message(int i, int size)
    {
        var text = new StringBuilder(size + 256);
        text.Append(CultureInfo.InvariantCulture, $"From: Carol <carol@example.org>\r\nTo: Alice <alice@demo.test>\r\nMessage-ID: <bench-{i}@demo.test>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {Epoch.AddMinutes(i * 17):ddd, dd MMM yyyy HH:mm:ss} +0000\r\nSubject: Benchmark message {i}\r\n");
        text.Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        var line = 0;
        while (text.Length < size - 80)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i:D6}-{line++:D4} ").Append('a', 62).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>
    /// Creates <paramref name="folder"/> over IMAP (so Dovecot owns its directory) and writes <paramref name="count"/>
    /// messages into its Maildir <c>cur/</c>, with flags in the file names and internal dates as modification times.
    /// </summary>
    public async Task SeedMaildirAsync(string folder, int count, int size)
    {
        using (var client = await ConnectAsync().ConfigureAwait(false))
        {
            var root = client.GetFolder(client.PersonalNamespaces[0])!;
            await root.CreateAsync(folder, true).ConfigureAwait(false);
            await client.DisconnectAsync(true).ConfigureAwait(false);
        }

        var cur = Path.Combine(Path.GetDirectoryName(server.LogPath)!, "mail", user, "Maildir", "." + folder, "cur");
        if (!Directory.Exists(cur))
        {
            throw new InvalidOperationException($"Dovecot did not create {cur}: is the mail_location Maildir++?");
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, token) =>
        {
            var body = Message(i, size);
            var flags = (i % 7 == 0 ? "F" : "") + (i % 3 == 0 ? "S" : "");
            var name = Path.Combine(cur, string.Create(CultureInfo.InvariantCulture, $"{now}.M{i}P1.bench,S={body.Length},W={body.Length}:2,{flags}"));
            await File.WriteAllBytesAsync(name, body, token).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(name, Epoch.AddMinutes(i * 17 + 3).UtcDateTime);
        }).ConfigureAwait(false);
    }

    /// <summary>Appends messages <paramref name="start"/> … by MULTIAPPEND (new mail arriving between two runs).</summary>
    public async Task AppendAsync(string folder, int start, int count, int size)
    {
        using var client = await ConnectAsync().ConfigureAwait(false);
        var target = await client.GetFolderAsync(folder).ConfigureAwait(false);
        foreach (var batch in Enumerable.Range(start, count).Chunk(100))
        {
            var requests = batch.Select(i => (IAppendRequest)new AppendRequest(MimeMessage.Load(new MemoryStream(Message(i, size))), MessageFlags.None, Epoch.AddMinutes(i * 17 + 3))).ToList();
            await target.AppendAsync(requests).ConfigureAwait(false);
        }

        await client.DisconnectAsync(true).ConfigureAwait(false);
    }

    /// <summary>
    /// Selects the folder and fetches what either sync client asks for first (flags, dates, sizes, envelope), so that
    /// Dovecot has indexed the Maildir and filled its cache before anything is timed: neither client pays for it.
    /// </summary>
    public async Task WarmAsync(string folder)
    {
        using var client = await ConnectAsync().ConfigureAwait(false);
        var source = await client.GetFolderAsync(folder).ConfigureAwait(false);
        await source.OpenAsync(FolderAccess.ReadOnly).ConfigureAwait(false);
        if (source.Count > 0)
        {
            var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.Envelope;
            for (var start = 0; start < source.Count; start += 5000)
            {
                // In slices: 100k summaries at once would leave this process hundreds of MB bigger before ours is measured.
                await source.FetchAsync(start, Math.Min(start + 4999, source.Count - 1), new FetchRequest(items)).ConfigureAwait(false);
            }
        }

        await client.DisconnectAsync(true).ConfigureAwait(false);
    }

    /// <summary>Messages in the folder (STATUS MESSAGES); 0 when it does not exist.</summary>
    public async Task<int> CountAsync(string folder)
    {
        using var client = await ConnectAsync().ConfigureAwait(false);
        try
        {
            var target = await client.GetFolderAsync(folder).ConfigureAwait(false);
            await target.StatusAsync(StatusItems.Count).ConfigureAwait(false);
            return target.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
        finally
        {
            await client.DisconnectAsync(true).ConfigureAwait(false);
        }
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", server.ImapPort, SecureSocketOptions.None).ConfigureAwait(false);
        await client.AuthenticateAsync($"{user}*{DovecotServer.MasterUser}", DovecotServer.MasterPassword).ConfigureAwait(false);
        return client;
    }
}
