namespace Continuity.Mail.Sync;

/// <summary>Flags and keywords of a message cut down to what the destination folder stores (its PERMANENTFLAGS).</summary>
internal static class PermittedFlags
{
    private const MessageFlags System = MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Draft;

    /// <summary>The stored flags, the stored keywords, and what had to be dropped (empty when nothing).</summary>
    public static (MessageFlags Flags, HashSet<string> Keywords, List<string> Dropped) Filter(MessageFlags flags, IEnumerable<string>? keywords, IMailFolder destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var dropped = new List<string>();
        var permanent = destination.PermanentFlags;
        var wanted = flags & System;
        var kept = wanted & permanent;
        if (kept != wanted)
        {
            dropped.Add((wanted & ~kept).ToString());
        }

        var anyKeyword = permanent.HasFlag(MessageFlags.UserDefined);
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var keyword in keywords ?? [])
        {
            if (anyKeyword || destination.PermanentKeywords.Contains(keyword))
            {
                keep.Add(keyword);
            }
            else
            {
                dropped.Add(keyword);
            }
        }

        return (kept, keep, dropped);
    }

    /// <summary>True when a message already carries exactly these flags and keywords.</summary>
    public static bool Same(MessageFlags flags, IReadOnlySet<string> keywords, IMessageSummary current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var have = (current.Flags ?? MessageFlags.None) & System;
        return have == flags && keywords.SetEquals(current.Keywords ?? (IReadOnlySet<string>)new HashSet<string>());
    }
}
