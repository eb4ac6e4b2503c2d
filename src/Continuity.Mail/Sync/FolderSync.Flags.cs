using MailKit.Net.Imap;

namespace Continuity.Mail.Sync;

internal sealed partial class FolderSync
{
    /// <summary>
    /// Carries flag and keyword changes of mapped messages (source UIDs up to <paramref name="upTo"/>) to their copies:
    /// only messages changed since <paramref name="since"/> when the source offers CONDSTORE, else every message
    /// (a flag scan, in batches).
    /// </summary>
    private async Task FlagPassAsync(uint upTo, ulong since, CancellationToken cancellationToken)
    {
        if (upTo == 0)
        {
            return;
        }

        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        if (since > 0 && Src.HighestModSeq > 0)
        {
            // UID windows, so a run after a mass flag change (mark all read) never holds every summary at once.
            request.ChangedSince = since;
            var top = Src.UidNext is { Id: > 0 } next ? Math.Min(upTo, next.Id - 1) : upTo;
            var window = Src.UidNext is null ? uint.MaxValue : (ulong)_options.BatchSize * 8;
            for (ulong start = 1; start <= top; start += window)
            {
                var end = (uint)Math.Min(top, start + window - 1);
                var changed = await Src.FetchAsync(new UniqueIdRange(new UniqueId((uint)start), new UniqueId(end)), request, cancellationToken).ConfigureAwait(false);
                foreach (var chunk in changed.Chunk(_options.BatchSize))
                {
                    await MirrorMappedAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                await RenewLeaseAsync().ConfigureAwait(false);
            }

            return;
        }

        var uids = await UidsAsync(Src, 1, upTo, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in uids.Chunk(_options.BatchSize))
        {
            var summaries = await Src.FetchAsync([.. chunk.Select(u => new UniqueId(u))], request, cancellationToken).ConfigureAwait(false);
            await MirrorMappedAsync([.. summaries], cancellationToken).ConfigureAwait(false);
            await RenewLeaseAsync().ConfigureAwait(false);
        }
    }

    private async Task MirrorMappedAsync(IMessageSummary[] summaries, CancellationToken cancellationToken)
    {
        var map = await SourceMapAsync([.. summaries.Select(s => s.UniqueId.Id)]).ConfigureAwait(false);
        var pairs = summaries.Where(s => map.ContainsKey(s.UniqueId.Id)).Select(s => (s, map[s.UniqueId.Id])).ToList();
        if (pairs.Count > 0)
        {
            await MirrorFlagsAsync(pairs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives each destination message its source's flags and keywords (as far as the destination permits; a replace,
    /// so removed flags go too), one STORE per distinct flag set. Returns the destination UIDs that exist.
    /// </summary>
    private async Task<HashSet<uint>> MirrorFlagsAsync(List<(IMessageSummary Source, uint Destination)> pairs, CancellationToken cancellationToken)
    {
        var current = (await Dst.FetchAsync([.. pairs.Select(p => new UniqueId(p.Destination))], new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags), cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.UniqueId.Id);
        var groups = new Dictionary<string, (MessageFlags Flags, HashSet<string> Keywords, List<UniqueId> Uids)>(StringComparer.Ordinal);
        foreach (var (source, destination) in pairs)
        {
            if (!current.TryGetValue(destination, out var have))
            {
                continue;
            }

            var (flags, keywords) = Permitted(source, "flags set");
            if (PermittedFlags.Same(flags, keywords, have))
            {
                continue;
            }

            var key = $"{(int)flags}|{string.Join(' ', keywords.Order(StringComparer.OrdinalIgnoreCase))}";
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (flags, keywords, []);
            }

            group.Uids.Add(new UniqueId(destination));
        }

        foreach (var (flags, keywords, uids) in groups.Values)
        {
            if (flags == MessageFlags.None && keywords.Count == 0)
            {
                await ClearAsync(uids, current, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StoreAsync(uids, flags, keywords, current, cancellationToken).ConfigureAwait(false);
            }

            Result.FlagsUpdated += uids.Count;
        }

        return [.. current.Keys];
    }

    /// <summary>
    /// Replaces the flags and keywords of <paramref name="uids"/>; when the destination refuses the STORE for a
    /// keyword, each keyword is tried alone and the replace is repeated with the ones it took.
    /// </summary>
    private async Task StoreAsync(List<UniqueId> uids, MessageFlags flags, HashSet<string> keywords, Dictionary<uint, IMessageSummary> current, CancellationToken cancellationToken)
    {
        try
        {
            await Dst.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Set, flags, keywords) { Silent = true }, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ImapCommandException) when (keywords.Count > 0)
        {
            // Find the refused keyword(s) below; a refusal for another reason repeats itself there and ends the folder.
        }

        var kept = await AddKeywordsOneByOneAsync($"{Dst.FullName} UID(s) {UniqueIdSet.ToString(uids)}", uids, keywords, "flags set", cancellationToken).ConfigureAwait(false);
        if (flags == MessageFlags.None && kept.Count == 0)
        {
            await ClearAsync(uids, current, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Dst.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Set, flags, kept) { Silent = true }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>IMAP's <c>FLAGS ()</c>, written as a removal of what each message has.</summary>
    private async Task ClearAsync(List<UniqueId> uids, Dictionary<uint, IMessageSummary> current, CancellationToken cancellationToken)
    {
        foreach (var uid in uids)
        {
            var have = current[uid.Id];
            var flags = (have.Flags ?? MessageFlags.None) & ~(MessageFlags.Recent | MessageFlags.UserDefined);
            var keywords = have.Keywords ?? (IReadOnlySet<string>)new HashSet<string>();
            if (flags != MessageFlags.None || keywords.Count > 0)
            {
                await Dst.StoreAsync([uid], new StoreFlagsRequest(StoreAction.Remove, flags, keywords) { Silent = true }, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
