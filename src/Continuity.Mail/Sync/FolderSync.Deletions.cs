namespace Continuity.Mail.Sync;

internal sealed partial class FolderSync
{
    /// <summary>
    /// Source messages that were mapped and are gone: their mapping is forgotten and, under
    /// <see cref="DeletionPolicy.Delete"/>, their copies expunged. Forward runs look only when the source holds fewer
    /// messages up to the checkpoint than the checkpoint knows (one UID SEARCH, no map read in the common case).
    /// </summary>
    private async Task DeletionsAsync(CancellationToken cancellationToken)
    {
        var upTo = Forward ? _checkpoint.LastUid : uint.MaxValue;
        var present = (await UidsAsync(Src, 1, upTo, cancellationToken).ConfigureAwait(false)).ToHashSet();
        if (Forward && present.Count >= await _store.CountKnownAsync(_key).ConfigureAwait(false))
        {
            return;
        }

        var update = new CheckpointUpdate();
        var vanished = await _store.FindMappingsAsync(_key, Forward, u => u <= upTo && !present.Contains(u)).ConfigureAwait(false);
        if (Forward)
        {
            update.Recovered.UnionWith((await _store.GetFailedAsync(_key).ConfigureAwait(false)).Keys.Where(u => !present.Contains(u)));
        }

        foreach (var (source, destination) in vanished)
        {
            Unmap(update, source, destination);
        }

        if (_deletions == DeletionPolicy.Delete && vanished.Count > 0)
        {
            List<UniqueId> uids = [.. vanished.Select(p => new UniqueId(p.Destination))];
            await Dst.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken).ConfigureAwait(false);
            await Dst.ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
            Result.Deleted += uids.Count;
            Log.Expunged(_logger, _key.Tenant, _key.User, Dst.FullName, uids.Count);
        }

        await CommitAsync(update).ConfigureAwait(false);
    }
}
