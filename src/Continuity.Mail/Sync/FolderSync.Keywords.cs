using MailKit.Net.Imap;

namespace Continuity.Mail.Sync;

/// <summary>
/// Keywords the destination will not store. Two ways a server says so: its PERMANENTFLAGS lack <c>\*</c> and the
/// keyword (filtered before the APPEND/STORE), or it refuses the command (Dovecot's <c>mail_max_keyword_length</c>, a
/// full keyword table). A refused command is retried without keywords, then each keyword is tried alone on the copy,
/// so only the refused ones are dropped; the refused ones are remembered for the rest of the folder's run, so later
/// messages are not refused again. Every dropped keyword is logged with its reason and counted.
/// </summary>
internal sealed partial class FolderSync
{
    private readonly HashSet<string> _refusedKeywords = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The message's flags and keywords as far as the destination stores them (PERMANENTFLAGS, earlier refusals).</summary>
    private (MessageFlags Flags, HashSet<string> Keywords) Permitted(IMessageSummary source, string action)
    {
        var (flags, keywords, dropped) = PermittedFlags.Filter(source.Flags ?? MessageFlags.None, source.Keywords, Dst);
        foreach (var item in dropped)
        {
            Dropped(SourceMessage(source.UniqueId.Id), item, $"not in the PERMANENTFLAGS of {Dst.FullName}; {action} without it");
        }

        foreach (var refused in keywords.Where(_refusedKeywords.Contains).ToList())
        {
            keywords.Remove(refused);
            Dropped(SourceMessage(source.UniqueId.Id), refused, $"{Dst.FullName} refused it earlier in this run; {action} without it");
        }

        return (flags, keywords);
    }

    /// <summary>
    /// Adds each keyword alone to destination messages that already exist; a keyword the destination refuses is
    /// remembered and reported as dropped for <paramref name="message"/>. Returns the keywords it took.
    /// </summary>
    private async Task<HashSet<string>> AddKeywordsOneByOneAsync(string message, IList<UniqueId> destination, IEnumerable<string> keywords, string action, CancellationToken cancellationToken)
    {
        var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var keyword in keywords.Order(StringComparer.Ordinal))
        {
            if (_refusedKeywords.Contains(keyword))
            {
                Dropped(message, keyword, $"{Dst.FullName} refused it earlier in this run; {action} without it");
                continue;
            }

            try
            {
                await Dst.StoreAsync(destination, new StoreFlagsRequest(StoreAction.Add, MessageFlags.None, [keyword]) { Silent = true }, cancellationToken).ConfigureAwait(false);
                kept.Add(keyword);
            }
            catch (ImapCommandException e)
            {
                _refusedKeywords.Add(keyword);
                Dropped(message, keyword, $"{Dst.FullName} refused it ({e.Response} {e.ResponseText}); {action} without it");
            }
        }

        return kept;
    }

    private string SourceMessage(uint uid) => $"{Src.FullName} UID {uid}";

    private void Dropped(string message, string item, string reason)
    {
        Result.KeywordsDropped++;
        WarnText($"{message}: dropped {item}: {reason}");
    }
}
