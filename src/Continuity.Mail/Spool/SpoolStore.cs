using System.Security.Cryptography;
using System.Text.Json;

namespace Continuity.Mail.Spool;

/// <summary>
/// The node-local mail spool: files, fsync'd before the SMTP 250, as Postfix does. Layout under the spool directory:
/// <code>
/// incoming/&lt;id&gt;.tmp   being received; never answered with 250, so removed at start
/// queue/&lt;id&gt;.msg      line 1: the envelope as JSON; then the message bytes exactly as delivered.
///                     Written to incoming/, fsync'd, renamed here, and the directory fsync'd: the rename is the commit.
/// queue/&lt;id&gt;.log      the recipients' journal (<see cref="SpoolJournal"/>); each append (one line, or the lines of
///                     one backend transaction together) fsync'd once
/// </code>
/// Ids sort by arrival time (<c>&lt;unix-ms hex&gt;-&lt;random&gt;</c>). A finished message loses its .msg first, then its
/// .log, so a crash between the two leaves only an orphan journal, removed at start.
/// </summary>
internal sealed partial class SpoolStore
{
    private readonly string _incoming;
    private readonly string _queue;
    private readonly ILogger<SpoolStore> _logger;

    public SpoolStore(string directory, ILogger<SpoolStore> logger)
    {
        Directory = Path.GetFullPath(directory);
        _incoming = Path.Combine(Directory, "incoming");
        _queue = Path.Combine(Directory, "queue");
        _logger = logger;
        // Mail waiting for delivery is the owner's only (0700 directories; the process umask makes the files 0600).
        Core.IO.PrivateFiles.CreateDirectory(_incoming);
        Core.IO.PrivateFiles.CreateDirectory(_queue);
    }

    public string Directory { get; }

    public static string NewId(DateTimeOffset now) =>
        $"{now.ToUnixTimeMilliseconds():x12}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";

    /// <summary>
    /// Writes the envelope and <paramref name="prefix"/> + <paramref name="body"/> durably and returns the queued message.
    /// When this returns, the message survives a crash or a power loss; when it throws, nothing was queued.
    /// </summary>
    public QueuedMessage Write(SpoolEnvelope envelope, ReadOnlySpan<byte> prefix, in ReadOnlySequence<byte> body)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var tmp = Path.Combine(_incoming, envelope.Id + ".tmp");
        var final = Path.Combine(_queue, envelope.Id + ".msg");
        var header = JsonSerializer.SerializeToUtf8Bytes(envelope, SpoolJsonContext.Default.SpoolEnvelope);
        try
        {
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                file.Write(header);
                file.WriteByte((byte)'\n');
                file.Write(prefix);
                foreach (var segment in body)
                {
                    file.Write(segment.Span);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(tmp, final);
            Fsync.Dir(_queue);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }

        return new QueuedMessage(envelope, final, header.Length + 1, prefix.Length + body.Length);
    }

    /// <summary>Appends one journal line and fsyncs it.</summary>
    public static void Append(QueuedMessage message, string line) => Append(message, [line]);

    /// <summary>
    /// Appends journal lines with one write and, when <paramref name="durable"/>, one fsync (group commit; plus the
    /// directory's, the first time a durable line goes into this journal); none when empty. A line that may be lost in
    /// a power failure without harm (a deferral: the retry comes sooner after a restart, and an attempt it would close
    /// stays open and is searched for) is written without fsync, as Postfix writes its defer logs; a later durable
    /// append to the same file makes it durable too.
    /// </summary>
    public static void Append(QueuedMessage message, IReadOnlyList<string> lines, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }

        using (var file = new FileStream(message.JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read, 4096))
        {
            file.Write(Encoding.UTF8.GetBytes(string.Concat(lines)));
            file.Flush(flushToDisk: durable);
        }

        if (durable && !message.JournalEntryDurable)
        {
            Fsync.DirectoryOf(message.JournalPath);
            message.JournalEntryDurable = true;
        }
    }

    /// <summary>The message bytes (after the envelope line), read-only.</summary>
    public static Stream OpenBody(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var file = new FileStream(message.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        file.Position = message.BodyOffset;
        return file;
    }

    /// <summary>Removes a finished message: the .msg first (the commit), then its journal.</summary>
    public void Remove(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        File.Delete(message.Path);
        Fsync.Dir(_queue);
        TryDelete(message.JournalPath);
    }

    /// <summary>Everything spooled before a restart, oldest first. Removes half-received files and orphan journals.</summary>
    public List<QueuedMessage> Recover()
    {
        foreach (var tmp in System.IO.Directory.EnumerateFiles(_incoming, "*.tmp"))
        {
            TryDelete(tmp);
        }

        var result = new List<QueuedMessage>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_queue, "*.msg").Order(StringComparer.Ordinal))
        {
            try
            {
                var message = Load(path);
                if (File.Exists(message.JournalPath))
                {
                    SpoolJournal.Replay(message, File.ReadAllText(message.JournalPath, Encoding.UTF8));
                }

                result.Add(message);
            }
            catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
            {
                // Never delete what cannot be read: an operator can look at it. It stays out of the queue.
                Log.Unreadable(_logger, path, e);
            }
        }

        foreach (var journal in System.IO.Directory.EnumerateFiles(_queue, "*.log"))
        {
            if (!File.Exists(Path.ChangeExtension(journal, ".msg")))
            {
                TryDelete(journal);
            }
        }

        return result;
    }

    private static QueuedMessage Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[Math.Min(file.Length, 4 * 1024 * 1024)];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
        if (newline < 0)
        {
            throw new InvalidDataException("no envelope line");
        }

        var envelope = JsonSerializer.Deserialize(buffer.AsSpan(0, newline), SpoolJsonContext.Default.SpoolEnvelope)
            ?? throw new InvalidDataException("empty envelope");
        return new QueuedMessage(envelope, path, newline + 1, file.Length - newline - 1);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
