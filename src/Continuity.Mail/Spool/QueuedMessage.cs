namespace Continuity.Mail.Spool;

/// <summary>A spooled message and the progress of each of its recipients, as held in memory.</summary>
internal sealed class QueuedMessage
{
    public QueuedMessage(SpoolEnvelope envelope, string path, long bodyOffset, long bodyLength)
    {
        Envelope = envelope;
        Path = path;
        BodyOffset = bodyOffset;
        BodyLength = bodyLength;
        Recipients = [.. envelope.Recipients.Select(r => new RecipientState(r))];
    }

    public SpoolEnvelope Envelope { get; }

    public string Id => Envelope.Id;

    /// <summary>The spool file (envelope line, then the message bytes).</summary>
    public string Path { get; }

    public string JournalPath => System.IO.Path.ChangeExtension(Path, ".log");

    public long BodyOffset { get; }

    public long BodyLength { get; }

    public IReadOnlyList<RecipientState> Recipients { get; }

    /// <summary>
    /// The journal's directory entry was fsync'd by this process. A journal begun by a line that needs no durability (a
    /// deferral) gets its directory fsync with the first line that does.
    /// </summary>
    public bool JournalEntryDurable { get; set; }

    /// <summary>A DSN for the failed recipients was spooled (journal <c>B</c>).</summary>
    public bool BounceSpooled { get; set; }

    /// <summary>A delivery of this message is running (scheduler only).</summary>
    public bool InFlight { get; set; }

    /// <summary>After a failed pass (disk trouble): nothing is tried before this time.</summary>
    public DateTimeOffset NotBefore { get; set; }
}
