using MailKit.Net.Imap;

namespace Continuity.Mail.Sync;

/// <summary>
/// One sync run of one user's mailbox: connects to both providers through their master users, maps the folders and
/// runs <see cref="FolderSync"/> over each pair. Forward copies primary → sovereign; failback copies sovereign →
/// primary what changed during the event. A folder's error is recorded and the next folder runs; losing a connection
/// (or the state store) ends the run, and the next run resumes from the checkpoints.
/// </summary>
internal sealed partial class MailboxSynchronizer(
    ImapConnector connector,
    FolderMapper mapper,
    FolderCheckpointStore checkpoints,
    IOptions<ContinuityOptions> continuity,
    IOptions<MailboxSyncOptions> options,
    ILogger<MailboxSynchronizer> logger)
{
    /// <summary>Test seam (see <see cref="SyncHooks"/>); null in production.</summary>
    internal SyncHooks? Hooks { get; set; }

    /// <param name="renewLease">Called after each batch and each folder (the runner renews the user's lease there).</param>
    public async Task<MailboxSyncResult> SyncAsync(string tenant, string user, SyncDirection direction, Func<Task>? renewLease, CancellationToken cancellationToken)
    {
        var tenantOptions = continuity.Value.Tenants[tenant];
        var primary = connector.Resolve(tenant, tenantOptions.DefaultProvider, user);
        var sovereign = connector.Resolve(tenant, tenantOptions.ResolveSovereignProvider(), user);
        var (from, to) = direction == SyncDirection.Forward ? (primary, sovereign) : (sovereign, primary);
        var deletions = options.Value.Tenants.TryGetValue(tenant, out var sync) ? sync.Deletions : DeletionPolicy.Keep;
        var result = new MailboxSyncResult(tenant, primary.User, direction);
        Log.Starting(logger, tenant, primary.User, direction, from.ToString(), to.ToString());

        using var source = await connector.ConnectAsync(from, cancellationToken).ConfigureAwait(false);
        using var destination = await connector.ConnectAsync(to, cancellationToken).ConfigureAwait(false);
        if (!destination.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            throw new NotSupportedException($"{to.Provider} does not offer UIDPLUS (RFC 4315), which mailbox sync needs to record copies");
        }

        foreach (var pair in await mapper.MapAsync(source, destination, direction, cancellationToken).ConfigureAwait(false))
        {
            var primaryFolder = direction == SyncDirection.Forward ? pair.Source.FullName : pair.Destination.FullName;
            var folder = new FolderSync(pair, new FolderKey(tenant, primary.User, primaryFolder), direction, checkpoints, options.Value, deletions, Hooks, logger, renewLease);
            result.Folders.Add(folder.Result);
            try
            {
                await folder.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ImapCommandException or FolderNotFoundException or InvalidOperationException or NotSupportedException)
            {
                folder.Result.Error = e.Message;
                Log.FolderFailed(logger, tenant, primary.User, pair.Source.FullName, e.GetType().Name, e.Message);
            }

            if (renewLease is not null)
            {
                await renewLease().ConfigureAwait(false);
            }
        }

        await source.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        await destination.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        Log.Finished(logger, tenant, primary.User, direction, result.Copied, result.Matched, result.FlagsUpdated, result.Deleted, result.Warnings.Count());
        return result;
    }

    /// <summary>Exceptions that end a run without being a bug: the backend or the store went away, a login was refused.</summary>
    public static bool IsTransient(Exception e) =>
        e is IOException or ImapProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or MailKit.Security.AuthenticationException or System.Net.Sockets.SocketException or StateUnavailableException
            or ImapCommandException or NotSupportedException or TimeoutException or AppTokenException or SyncLeaseLostException;
}
