using MailKit.Net.Imap;
using MimeKit;

namespace Continuity.Mail.Sync;

internal sealed partial class FolderSync
{
    private const MessageSummaryItems CopyItems =
        MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Envelope | MessageSummaryItems.Size;

    /// <summary>
    /// Destination messages above <paramref name="after"/> that no mapping knows become claimable by key: continuity
    /// copies the MX delivered, the whole folder after a UIDVALIDITY change, and APPENDs a crash kept from being recorded.
    /// </summary>
    private async Task IndexDestinationAsync(uint after, CancellationToken cancellationToken)
    {
        var uids = await UidsAsync(Dst, after == uint.MaxValue ? 0 : after + 1, uint.MaxValue, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in uids.Chunk(_options.BatchSize))
        {
            var known = await DestinationMapAsync(chunk).ConfigureAwait(false);
            var unknown = chunk.Where(u => !known.ContainsKey(u)).Select(u => new UniqueId(u)).ToList();
            if (unknown.Count > 0)
            {
                var summaries = await Dst.FetchAsync(unknown, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope, MessageKey.Headers), cancellationToken).ConfigureAwait(false);
                foreach (var summary in summaries)
                {
                    var key = MessageKey.IndexKey(summary);
                    if (key is null)
                    {
                        using var body = await Dst.GetStreamAsync(summary.UniqueId, cancellationToken).ConfigureAwait(false);
                        key = await MessageKey.FromContentAsync(body, cancellationToken).ConfigureAwait(false);
                    }

                    _foreign.Add(key, summary.UniqueId.Id);
                }
            }

            await CommitAsync(new CheckpointUpdate(), Forward ? _checkpoint with { DstSeen = chunk[^1] } : null).ConfigureAwait(false);
        }
    }

    /// <summary>Source messages an earlier run could not copy (refused APPEND): tried again, never forgotten.</summary>
    private async Task RetryFailedAsync(CancellationToken cancellationToken)
    {
        var failed = await _store.GetFailedAsync(_key).ConfigureAwait(false);
        if (failed.Count == 0)
        {
            return;
        }

        var present = (await Src.SearchAsync(MailKit.Search.SearchQuery.Uids([.. failed.Keys.Select(u => new UniqueId(u))]), cancellationToken).ConfigureAwait(false))
            .Select(u => u.Id).ToHashSet();
        var update = new CheckpointUpdate();
        update.Recovered.UnionWith(failed.Keys.Where(u => !present.Contains(u)));
        await CommitAsync(update).ConfigureAwait(false);
        await CopyUidsAsync([.. present.Order()], advance: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forward: source UIDs above the checkpoint. Failback: every sovereign message (mapped ones are skipped).</summary>
    private async Task CopyNewAsync(CancellationToken cancellationToken)
    {
        var from = Forward ? _checkpoint.LastUid + 1 : 1;
        var uids = await UidsAsync(Src, from, uint.MaxValue, cancellationToken).ConfigureAwait(false);
        await CopyUidsAsync(uids, advance: Forward, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyUidsAsync(List<uint> uids, bool advance, CancellationToken cancellationToken)
    {
        foreach (var chunk in uids.Chunk(_options.BatchSize))
        {
            var mapped = await SourceMapAsync(chunk).ConfigureAwait(false);
            var todo = chunk.Where(u => !mapped.ContainsKey(u)).Select(u => new UniqueId(u)).ToList();
            var summaries = todo.Count == 0 ? []
                : (await Src.FetchAsync(todo, new FetchRequest(CopyItems, MessageKey.Headers), cancellationToken).ConfigureAwait(false)).OrderBy(s => s.UniqueId.Id).ToList();
            var group = new List<IMessageSummary>();
            long bytes = 0;
            foreach (var summary in summaries)
            {
                group.Add(summary);
                bytes += summary.Size ?? 0;
                if (group.Count >= _options.AppendBatchSize || bytes >= _options.AppendBatchBytes)
                {
                    await CopyGroupAsync(group, advance ? summary.UniqueId.Id : null, cancellationToken).ConfigureAwait(false);
                    group = [];
                    bytes = 0;
                }
            }

            await CopyGroupAsync(group, advance ? chunk[^1] : null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies one group and records it in one transaction. Order matters for crash safety: the APPEND happens first,
    /// the record second; a crash in between leaves copies that the next run's destination index finds by key and the
    /// source messages claim, so nothing is appended twice.
    /// </summary>
    private async Task CopyGroupAsync(List<IMessageSummary> group, uint? advanceTo, CancellationToken cancellationToken)
    {
        var update = new CheckpointUpdate();
        var claims = new List<(IMessageSummary Source, uint Destination)>();
        var copies = new List<IMessageSummary>();
        foreach (var summary in group)
        {
            if (TryClaim(summary, out var existing))
            {
                claims.Add((summary, existing));
            }
            else
            {
                copies.Add(summary);
            }
        }

        copies.AddRange(await ClaimAsync(claims, update, cancellationToken).ConfigureAwait(false));
        if (copies.Count > 0)
        {
            var bodies = await DownloadAsync(copies, cancellationToken).ConfigureAwait(false);
            var hashClaims = new List<(IMessageSummary Source, uint Destination)>();
            var appends = new List<(IMessageSummary Source, byte[] Body)>();
            foreach (var summary in copies.OrderBy(s => s.UniqueId.Id))
            {
                if (!bodies.TryGetValue(summary.UniqueId.Id, out var body))
                {
                    continue; // expunged since the summary was fetched: nothing left to copy
                }

                if (!MessageKey.Keys(summary).Any() && _foreign.TryClaim(MessageKey.FromContent(body), out var existing))
                {
                    hashClaims.Add((summary, existing));
                }
                else
                {
                    appends.Add((summary, body));
                }
            }

            foreach (var missing in await ClaimAsync(hashClaims, update, cancellationToken).ConfigureAwait(false))
            {
                appends.Add((missing, bodies[missing.UniqueId.Id]));
            }

            await AppendAsync(appends, update, cancellationToken).ConfigureAwait(false);
        }

        var state = advanceTo is { } last && last > _checkpoint.LastUid ? _checkpoint with { LastUid = last } : null;
        await CommitAsync(update, state).ConfigureAwait(false);
    }

    /// <summary>Claims a destination copy by the source message's spool id, else by its Message-ID key.</summary>
    private bool TryClaim(IMessageSummary summary, out uint existing)
    {
        foreach (var key in MessageKey.Keys(summary))
        {
            if (_foreign.TryClaim(key, out existing))
            {
                return true;
            }
        }

        existing = 0;
        return false;
    }

    /// <summary>Maps source messages to the destination copies they claimed; returns those whose copy is gone after all.</summary>
    private async Task<List<IMessageSummary>> ClaimAsync(List<(IMessageSummary Source, uint Destination)> claims, CheckpointUpdate update, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        var existing = await MirrorFlagsAsync(claims, cancellationToken).ConfigureAwait(false);
        var missing = new List<IMessageSummary>();
        foreach (var (source, destination) in claims)
        {
            if (existing.Contains(destination))
            {
                Map(update, source.UniqueId.Id, destination);
                MarkRecovered(update, source.UniqueId.Id);
                Result.Matched++;
            }
            else
            {
                missing.Add(source);
            }
        }

        return missing;
    }

    private async Task<Dictionary<uint, byte[]>> DownloadAsync(List<IMessageSummary> messages, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<uint, byte[]>();
        await ((ImapFolder)Src).GetStreamsAsync([.. messages.Select(m => m.UniqueId)], async (_, _, uid, stream, token) =>
        {
            using var copy = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0);
            await stream.CopyToAsync(copy, token).ConfigureAwait(false);
            bodies[uid.Id] = copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
        }, cancellationToken).ConfigureAwait(false);
        return bodies;
    }

    private async Task AppendAsync(List<(IMessageSummary Source, byte[] Body)> appends, CheckpointUpdate update, CancellationToken cancellationToken)
    {
        if (appends.Count == 0)
        {
            return;
        }

        var requests = new List<IAppendRequest>(appends.Count);
        foreach (var (source, body) in appends)
        {
            var (flags, keywords) = Permitted(source, "copied");
            var message = await MessageCopy.LoadAsync(body, cancellationToken).ConfigureAwait(false);
            requests.Add(new AppendRequest(message, flags, keywords) { InternalDate = source.InternalDate });
        }

        IList<UniqueId> created;
        try
        {
            created = await ((ImapFolder)Dst).AppendAsync(FormatOptions.Default, requests, cancellationToken).ConfigureAwait(false);
        }
        catch (ImapCommandException) when (appends.Count > 1)
        {
            // MULTIAPPEND is all or nothing: find the message the destination refuses by sending each alone.
            foreach (var single in appends)
            {
                await AppendAsync([single], update, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
        catch (ImapCommandException e)
        {
            if (requests[0].Keywords is { Count: > 0 } keywords && await AppendWithoutKeywordsAsync(appends[0], requests[0].Flags, update, cancellationToken).ConfigureAwait(false) is { } copy)
            {
                // Refused because of a keyword (most likely): keep the ones the destination takes, drop only the others.
                await AddKeywordsOneByOneAsync(SourceMessage(appends[0].Source.UniqueId.Id), [copy], keywords, "copied", cancellationToken).ConfigureAwait(false);
                return;
            }

            var uid = appends[0].Source.UniqueId.Id;
            Warn(uid, $"destination refused APPEND ({e.Response} {e.ResponseText}); kept for retry");
            if (Forward)
            {
                update.Failed[uid] = $"{e.Response} {e.ResponseText}";
            }

            return;
        }

        if (created.Count != appends.Count)
        {
            throw new InvalidOperationException($"Destination {Dst.FullName} did not return APPENDUID; mailbox sync needs UIDPLUS (RFC 4315)");
        }

        if (_hooks?.AfterAppend is { } hook)
        {
            await hook(_key, [.. appends.Select(a => a.Source.UniqueId.Id)]).ConfigureAwait(false);
        }

        for (var i = 0; i < appends.Count; i++)
        {
            Map(update, appends[i].Source.UniqueId.Id, created[i].Id);
            MarkRecovered(update, appends[i].Source.UniqueId.Id);
            Result.Copied++;
        }
    }

    /// <summary>Second try for a message whose APPEND was refused: the same bytes, flags, date, no keywords. Returns the copy's UID.</summary>
    private async Task<UniqueId?> AppendWithoutKeywordsAsync((IMessageSummary Source, byte[] Body) append, MessageFlags flags, CheckpointUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            var message = await MessageCopy.LoadAsync(append.Body, cancellationToken).ConfigureAwait(false);
            var created = await ((ImapFolder)Dst).AppendAsync(FormatOptions.Default, new AppendRequest(message, flags) { InternalDate = append.Source.InternalDate }, cancellationToken).ConfigureAwait(false);
            if (created is not { } uid)
            {
                throw new InvalidOperationException($"Destination {Dst.FullName} did not return APPENDUID; mailbox sync needs UIDPLUS (RFC 4315)");
            }

            Map(update, append.Source.UniqueId.Id, uid.Id);
            MarkRecovered(update, append.Source.UniqueId.Id);
            Result.Copied++;
            return uid;
        }
        catch (ImapCommandException)
        {
            return null;
        }
    }

    /// <summary>A source UID at or below the checkpoint that now has a copy may have been a failed one.</summary>
    private void MarkRecovered(CheckpointUpdate update, uint sourceUid)
    {
        if (Forward && sourceUid <= _checkpoint.LastUid)
        {
            update.Recovered.Add(sourceUid);
        }
    }
}
