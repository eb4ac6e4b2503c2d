namespace Continuity.Mail.Spool;

/// <summary>
/// The per-message journal <c>&lt;id&gt;.log</c>: one line per event, appended and fsync'd before the
/// scheduler acts on it, replayed at start. A torn last line (crash mid-write) has no newline and is ignored; a
/// damaged line is skipped alone. The lines of one backend transaction are appended with one fsync (group commit).
/// <code>
/// P &lt;rcpt&gt; &lt;main|copy&gt; &lt;provider&gt; &lt;unix-ms&gt; &lt;backend&gt;   attempt: fsync'd before the final dot; open until
///                                            a later line of that target closes it (a T followed by a P keeps it open)
/// D &lt;rcpt&gt; &lt;main|copy&gt; &lt;provider&gt;              delivered (written after the backend's 250)
/// T &lt;rcpt&gt; &lt;main|copy&gt; &lt;attempts&gt; &lt;next-unix-ms&gt; &lt;reason&gt;   temporary failure, next attempt
/// F &lt;rcpt&gt; &lt;reason&gt;                          main failed for good: goes into the bounce
/// H &lt;rcpt&gt; &lt;provider&gt; &lt;reason&gt;               held: that provider disabled the mailbox
/// R &lt;rcpt&gt;                                   released from hold (route changed, or retried by an admin)
/// X &lt;rcpt&gt; &lt;reason&gt;                          continuity copy given up
/// A &lt;rcpt&gt;                                   deleted by an admin of the recipient's tenant (what is still to do is dropped)
/// B &lt;bounce-id&gt;                              the DSN was spooled as message &lt;bounce-id&gt;
/// </code>
/// </summary>
internal static class SpoolJournal
{
    public static string Attempt(int rcpt, TargetKind kind, string provider, DateTimeOffset at, string backend) =>
        Line($"P {rcpt} {Kind(kind)} {Token(provider)} {at.ToUnixTimeMilliseconds()} {Token(backend)}");

    public static string Delivered(int rcpt, TargetKind kind, string provider) =>
        Line($"D {rcpt} {Kind(kind)} {Token(provider)}");

    public static string Deferred(int rcpt, TargetKind kind, int attempts, DateTimeOffset next, string reason) =>
        Line($"T {rcpt} {Kind(kind)} {attempts} {next.ToUnixTimeMilliseconds()} {Clean(reason)}");

    public static string Failed(int rcpt, string reason) => Line($"F {rcpt} {Clean(reason)}");

    public static string Held(int rcpt, string provider, string reason) => Line($"H {rcpt} {Token(provider)} {Clean(reason)}");

    public static string Released(int rcpt) => Line($"R {rcpt}");

    public static string CopyDropped(int rcpt, string reason) => Line($"X {rcpt} {Clean(reason)}");

    public static string Deleted(int rcpt) => Line($"A {rcpt}");

    public static string Bounced(string bounceId) => Line($"B {Token(bounceId)}");

    /// <summary>Applies the journal text to <paramref name="message"/>.</summary>
    public static void Replay(QueuedMessage message, string text)
    {
        var lines = text.Split('\n');
        // The last element is what follows the last newline: empty, or a torn line.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            try
            {
                Apply(message, lines[i]);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                // A damaged line (a disk error, a hand edit) costs that line only, never the rest of the spool.
            }
        }
    }

    private static void Apply(QueuedMessage message, string line)
    {
        var parts = line.Split(' ', 6);
        if (parts.Length < 2)
        {
            return;
        }

        if (parts[0] == "B")
        {
            message.BounceSpooled = true;
            return;
        }

        if (!int.TryParse(parts[1], CultureInfo.InvariantCulture, out var index) || index < 0 || index >= message.Recipients.Count)
        {
            return;
        }

        var r = message.Recipients[index];
        switch (parts[0])
        {
            case "P" when parts.Length >= 4:
                var attempt = r.Get(ParseKind(parts[2]));
                attempt.AttemptOpen = true;
                attempt.AttemptProvider = parts[3];
                break;
            case "D" when parts.Length >= 4:
                var delivered = r.Get(ParseKind(parts[2]));
                delivered.Status = TargetStatus.Delivered;
                delivered.Provider = parts[3];
                delivered.AttemptOpen = false;
                break;
            // A damaged number (a disk error, a hand edit) skips that line only: the recipient stays due, which at
            // worst retries it early; the rest of this journal and of the spool recovers as written.
            case "T" when parts.Length >= 5
                && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var attempts)
                && long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var next)
                && next <= MaxUnixMilliseconds:
                var deferred = r.Get(ParseKind(parts[2]));
                deferred.Attempts = attempts;
                deferred.NextAttempt = DateTimeOffset.FromUnixTimeMilliseconds(next);
                deferred.LastError = parts.Length > 5 ? parts[5] : null;
                deferred.AttemptOpen = false;
                break;
            case "F":
                r.Main.AttemptOpen = false;
                r.Main.Status = TargetStatus.Failed;
                r.Main.LastError = Rest(parts, 2);
                break;
            case "H" when parts.Length >= 3:
                r.Main.AttemptOpen = false;
                r.Main.Status = TargetStatus.Held;
                r.Main.Provider = parts[2];
                r.Main.LastError = Rest(parts, 3);
                break;
            case "R":
                r.Main.AttemptOpen = false;
                r.Main.Status = TargetStatus.Pending;
                r.Main.Provider = null;
                r.Main.NextAttempt = DateTimeOffset.MinValue;
                break;
            case "X":
                r.Copy.AttemptOpen = false;
                r.Copy.Status = TargetStatus.Dropped;
                r.Copy.LastError = Rest(parts, 2);
                break;
            case "A":
                r.Main.AttemptOpen = false;
                r.Copy.AttemptOpen = false;
                r.Delete();
                break;
        }
    }

    /// <summary>The last instant <see cref="DateTimeOffset.FromUnixTimeMilliseconds"/> takes (9999-12-31).</summary>
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static string? Rest(string[] parts, int from) =>
        parts.Length > from ? string.Join(' ', parts[from..]) : null;

    private static TargetKind ParseKind(string s) => s == "copy" ? TargetKind.Copy : TargetKind.Main;

    private static string Kind(TargetKind kind) => kind == TargetKind.Main ? "main" : "copy";

    private static string Line(FormattableString s) => FormattableString.Invariant(s) + "\n";

    private static string Token(string s) => s.Replace(' ', '_').Replace('\n', '_').Replace('\r', '_');

    /// <summary>One line of printable text, at most 500 characters (a backend reply may be anything).</summary>
    internal static string Clean(string s)
    {
        var b = new StringBuilder(Math.Min(s.Length, 500));
        foreach (var c in s)
        {
            if (b.Length == 500)
            {
                break;
            }

            b.Append(c is < ' ' or '\u007f' ? ' ' : c);
        }

        return b.ToString();
    }
}
