using MailKit.Search;

namespace Continuity.Mail.Sync;

/// <summary>
/// One run over one folder pair. Forward (primary → sovereign): index destination messages this sync did not make,
/// retry failed messages, copy source UIDs above the checkpoint in batches, carry flag changes over (CHANGEDSINCE the
/// checkpoint's HIGHESTMODSEQ where CONDSTORE is offered, else a flag scan), then mirror expunges per policy.
/// Failback (sovereign → primary) uses the same forward checkpoint read backwards: sovereign messages no mapping
/// knows are new and go to the primary (matched against primary messages newer than the checkpoint first), and
/// sovereign messages changed since the checkpoint's destination HIGHESTMODSEQ give their flags to the primary.
/// <para>
/// Conflict rule (flags changed on both sides while the user was away): on failback the sovereign side wins for every
/// message whose flags changed there (the user's own latest action); flags changed only on the primary are carried to
/// the sovereign by the next forward run as usual.
/// </para>
/// </summary>
internal sealed partial class FolderSync
{
    private readonly FolderKey _key;
    private readonly SyncDirection _direction;
    private readonly FolderCheckpointStore _store;
    private readonly MailboxSyncOptions _options;
    private readonly DeletionPolicy _deletions;
    private readonly SyncHooks? _hooks;
    private readonly Func<Task>? _renewLease;
    private readonly ILogger _logger;
    private FolderCheckpoint _checkpoint = FolderCheckpoint.Fresh(0, 0, "");
    private ForeignIndex _foreign = new([]);

    public FolderSync(FolderPair pair, FolderKey key, SyncDirection direction, FolderCheckpointStore store, MailboxSyncOptions options, DeletionPolicy deletions, SyncHooks? hooks, ILogger logger, Func<Task>? renewLease = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        Src = pair.Source;
        Dst = pair.Destination;
        _key = key;
        _direction = direction;
        _store = store;
        _options = options;
        _deletions = deletions;
        _hooks = hooks;
        _renewLease = renewLease;
        _logger = logger;
        Result = new FolderSyncResult(Src.FullName, Dst.FullName);
    }

    public FolderSyncResult Result { get; }

    private IMailFolder Src { get; }

    private IMailFolder Dst { get; }

    private bool Forward => _direction == SyncDirection.Forward;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Src.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        await Dst.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        var srcModSeq = Src.HighestModSeq;
        await LoadCheckpointAsync().ConfigureAwait(false);
        if (Forward)
        {
            _foreign = new ForeignIndex(await _store.GetForeignAsync(_key).ConfigureAwait(false));
            await IndexDestinationAsync(_checkpoint.DstSeen, cancellationToken).ConfigureAwait(false);
            var lastBefore = _checkpoint.LastUid;
            await RetryFailedAsync(cancellationToken).ConfigureAwait(false);
            await CopyNewAsync(cancellationToken).ConfigureAwait(false);
            await FlagPassAsync(lastBefore, _checkpoint.ModSeq, cancellationToken).ConfigureAwait(false);
            await DeletionsAsync(cancellationToken).ConfigureAwait(false);
            await Dst.StatusAsync(StatusItems.HighestModSeq, cancellationToken).ConfigureAwait(false);
            await CommitAsync(new CheckpointUpdate(), _checkpoint with { ModSeq = srcModSeq, DstModSeq = Dst.HighestModSeq }).ConfigureAwait(false);
        }
        else
        {
            // Primary messages newer than the checkpoint that no mapping knows (e.g. an APPEND whose record a crash lost).
            await IndexDestinationAsync(_checkpoint.LastUid, cancellationToken).ConfigureAwait(false);
            await CopyNewAsync(cancellationToken).ConfigureAwait(false);
            await FlagPassAsync(uint.MaxValue, _checkpoint.DstModSeq, cancellationToken).ConfigureAwait(false);
            await DeletionsAsync(cancellationToken).ConfigureAwait(false);
            await CommitAsync(new CheckpointUpdate(), _checkpoint with { DstModSeq = srcModSeq }).ConfigureAwait(false);
        }
    }

    /// <summary>Starts afresh (matching by message key, not UID) when either folder's UIDVALIDITY or the destination changed.</summary>
    private async Task LoadCheckpointAsync()
    {
        var (primary, sovereign) = Forward ? (Src, Dst) : (Dst, Src);
        var stored = await _store.GetAsync(_key).ConfigureAwait(false);
        if (stored is not null && stored.SrcValidity == primary.UidValidity && stored.DstValidity == sovereign.UidValidity
            && string.Equals(stored.DstFolder, sovereign.FullName, StringComparison.Ordinal))
        {
            _checkpoint = stored;
            return;
        }

        if (stored is not null)
        {
            Log.Rescan(_logger, _key.Tenant, _key.User, _key.Folder, stored.SrcValidity, primary.UidValidity, stored.DstValidity, sovereign.UidValidity);
        }

        _checkpoint = FolderCheckpoint.Fresh(primary.UidValidity, sovereign.UidValidity, sovereign.FullName);
        await _store.ResetAsync(_key, _checkpoint).ConfigureAwait(false);
    }

    /// <summary>Source UIDs → destination UIDs for these source UIDs, whichever way the checkpoint stores them.</summary>
    private Task<Dictionary<uint, uint>> SourceMapAsync(IReadOnlyList<uint> sourceUids) =>
        Forward ? _store.GetDestinationsAsync(_key, sourceUids) : _store.GetSourcesAsync(_key, sourceUids);

    /// <summary>Destination UIDs → source UIDs for these destination UIDs.</summary>
    private Task<Dictionary<uint, uint>> DestinationMapAsync(IReadOnlyList<uint> destinationUids) =>
        Forward ? _store.GetSourcesAsync(_key, destinationUids) : _store.GetDestinationsAsync(_key, destinationUids);

    private void Map(CheckpointUpdate update, uint source, uint destination)
    {
        if (Forward)
        {
            update.Mapped[source] = destination;
        }
        else
        {
            update.Mapped[destination] = source;
        }
    }

    private void Unmap(CheckpointUpdate update, uint source, uint destination)
    {
        if (Forward)
        {
            update.Unmapped[source] = destination;
        }
        else
        {
            update.Unmapped[destination] = source;
        }
    }

    private async Task CommitAsync(CheckpointUpdate update, FolderCheckpoint? state = null)
    {
        if (Forward)
        {
            _foreign.DrainInto(update);
        }
        else
        {
            _foreign.Changed.Clear(); // the failback index of primary messages lives for this run only
        }

        if (state is not null)
        {
            _checkpoint = state;
            update.State = state;
        }

        await _store.CommitAsync(_key, update).ConfigureAwait(false);
        await RenewLeaseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// After every batch (not only between folders): a 100k-message folder takes longer than any sensible lease. The
    /// runner renews at most every quarter lease and throws <see cref="SyncLeaseLostException"/> when the lease is gone.
    /// </summary>
    private Task RenewLeaseAsync() => _renewLease?.Invoke() ?? Task.CompletedTask;

    /// <summary>UIDs in [from, to] that the folder holds now, ascending.</summary>
    private static async Task<List<uint>> UidsAsync(IMailFolder folder, uint from, uint to, CancellationToken cancellationToken)
    {
        if (from == 0 || from > to)
        {
            return [];
        }

        var found = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(from), new UniqueId(to))), cancellationToken).ConfigureAwait(false);
        return [.. found.Select(u => u.Id).Where(u => u >= from && u <= to).Order()];
    }

    private void Warn(uint uid, string reason) => WarnText($"{Src.FullName} UID {uid}: {reason}");

    private void WarnText(string text)
    {
        Result.Warnings.Add(text);
        Log.MessageWarning(_logger, _key.Tenant, _key.User, text);
    }
}
