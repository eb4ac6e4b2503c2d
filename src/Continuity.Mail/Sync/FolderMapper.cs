using MailKit.Net.Imap;

namespace Continuity.Mail.Sync;

/// <summary>
/// Decides where each source folder goes and creates what is missing on the destination: INBOX to INBOX; a configured
/// mapping (<see cref="MailboxSyncOptions.FolderMappings"/>, read backwards on failback); a SPECIAL-USE folder
/// (<c>\Sent</c>, <c>\Drafts</c>, <c>\Trash</c>, <c>\Junk</c>, <c>\Archive</c>) to the destination folder with the same
/// use, whatever its name; otherwise the same path, with the destination's hierarchy separator. Non-selectable
/// folders and the virtual <c>\All</c> / <c>\Flagged</c> views (their messages live in real folders too) are skipped,
/// as are <see cref="MailboxSyncOptions.ExcludedFolders"/>.
/// </summary>
internal sealed class FolderMapper(IOptions<MailboxSyncOptions> options)
{
    private static readonly FolderAttributes[] SpecialUses =
        [FolderAttributes.Sent, FolderAttributes.Drafts, FolderAttributes.Trash, FolderAttributes.Junk, FolderAttributes.Archive];

    public async Task<IReadOnlyList<FolderPair>> MapAsync(ImapClient source, ImapClient destination, SyncDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var mappings = direction == SyncDirection.Forward
            ? options.Value.FolderMappings
            : options.Value.FolderMappings.ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);
        var sourceFolders = await ListAsync(source, cancellationToken).ConfigureAwait(false);
        var destinationFolders = (await ListAsync(destination, cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.FullName, StringComparer.Ordinal);
        var separator = destination.PersonalNamespaces[0].DirectorySeparator;

        var pairs = new List<FolderPair>();
        foreach (var folder in sourceFolders)
        {
            if (!IsSynced(folder))
            {
                continue;
            }

            IMailFolder target;
            if (IsInbox(folder))
            {
                target = destination.Inbox;
            }
            else if (mappings.TryGetValue(folder.FullName, out var mapped))
            {
                target = await EnsureAsync(destination, destinationFolders, mapped, separator, cancellationToken).ConfigureAwait(false);
            }
            else if (SpecialUse(folder) is { } use && destinationFolders.Values.FirstOrDefault(d => d.Attributes.HasFlag(use)) is { } special)
            {
                target = special;
            }
            else
            {
                var path = string.Join(separator, folder.FullName.Split(folder.DirectorySeparator).Select(s => s.Replace(separator, '_')));
                target = await EnsureAsync(destination, destinationFolders, path, separator, cancellationToken).ConfigureAwait(false);
            }

            pairs.Add(new FolderPair(folder, target));
        }

        return pairs;
    }

    private bool IsSynced(IMailFolder folder)
    {
        if (folder.Attributes.HasFlag(FolderAttributes.NoSelect) || folder.Attributes.HasFlag(FolderAttributes.NonExistent)
            || folder.Attributes.HasFlag(FolderAttributes.All) || folder.Attributes.HasFlag(FolderAttributes.Flagged))
        {
            return false;
        }

        return !options.Value.ExcludedFolders.Exists(pattern => pattern.EndsWith('*')
            ? folder.FullName.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(folder.FullName, pattern, StringComparison.Ordinal));
    }

    private static bool IsInbox(IMailFolder folder) =>
        folder.Attributes.HasFlag(FolderAttributes.Inbox) || string.Equals(folder.FullName, "INBOX", StringComparison.OrdinalIgnoreCase);

    private static FolderAttributes? SpecialUse(IMailFolder folder)
    {
        foreach (var use in SpecialUses)
        {
            if (folder.Attributes.HasFlag(use))
            {
                return use;
            }
        }

        return null;
    }

    private static async Task<IReadOnlyList<IMailFolder>> ListAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var all = await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.None, false, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(f => f.FullName.Length > 0).OrderBy(f => f.FullName, StringComparer.Ordinal)];
    }

    /// <summary>The destination folder at <paramref name="path"/>, created with its missing parents.</summary>
    private static async Task<IMailFolder> EnsureAsync(ImapClient client, Dictionary<string, IMailFolder> existing, string path, char separator, CancellationToken cancellationToken)
    {
        if (existing.TryGetValue(path, out var found) && !found.Attributes.HasFlag(FolderAttributes.NonExistent))
        {
            return found;
        }

        IMailFolder parent = client.GetFolder(client.PersonalNamespaces[0]) ?? throw new InvalidOperationException("The destination has no personal namespace root");
        var current = "";
        foreach (var segment in path.Split(separator))
        {
            current = current.Length == 0 ? segment : current + separator + segment;
            if (existing.TryGetValue(current, out var folder) && !folder.Attributes.HasFlag(FolderAttributes.NonExistent))
            {
                parent = folder;
                continue;
            }

            parent = await parent.CreateAsync(segment, true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Could not create folder {current}");
            existing[current] = parent;
        }

        return parent;
    }
}
